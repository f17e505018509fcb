/**
 * The values a chart's templates see: Helm coalesces the user's values over the chart's values.yaml, maps merged
 * key by key, anything else (lists, scalars) replaced, `null` deleting the default
 * (helm/helm v3, pkg/chartutil/coalesce.go, coalesceTablesFullKey: a user value of null deletes the key; read
 * in the code index, no exact tag). Pure.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values are free-form */
export function helmCoalesce(defaults: any, values: any): any {
  const isMap = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(values)) {
    if (value === null) delete out[key];
    else out[key] = helmCoalesce(defaults[key], value);
  }
  return out;
}

/** Sprig's mergeOverwrite as the nats chart's `nats.loadMergePatch` uses it: maps merged, the rest replaced. */
export function mergeOverwrite(base: any, patch: any): any {
  const isMap = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isMap(base) || !isMap(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = mergeOverwrite(base[key], value);
  return out;
}
