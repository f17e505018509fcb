import { configKey } from "../../profiles/configErrors";
import { referenceFromImageObject } from "./imageRef";

/**
 * Maps what the plan shows back to the stack config key that set it, so an error can say which key to fix.
 * Only keys present in the stack's config can be found: a value that came from a default has no key here.
 */

type Raw = Readonly<Record<string, string>>;

function parse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every (path, value) in the stack config under the namespace, objects included, depth first. */
function* entries(raw: Raw, namespace: string): Generator<{ path: string[]; value: unknown }> {
  for (const [fullKey, text] of Object.entries(raw)) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    const stack: { path: string[]; value: unknown }[] = [
      { path: [fullKey.slice(namespace.length + 1)], value: parse(text) },
    ];
    while (stack.length > 0) {
      const item = stack.pop() as { path: string[]; value: unknown };
      yield item;
      if (Array.isArray(item.value))
        item.value.forEach((v, i) => stack.push({ path: [...item.path, String(i)], value: v }));
      else if (isObject(item.value))
        for (const [k, v] of Object.entries(item.value)) stack.push({ path: [...item.path, k], value: v });
    }
  }
}

/** Config keys whose value is this image reference (as a string or a `{repository, tag, …}` object). */
export function configKeysForImage(raw: Raw, namespace: string, reference: string): string[] {
  const keys: string[] = [];
  for (const { path, value } of entries(raw, namespace)) {
    const matches =
      (typeof value === "string" && value === reference) ||
      (isObject(value) && referenceFromImageObject(value) === reference);
    if (matches) keys.push(configKey(path));
  }
  return keys.sort();
}

/** Config keys of chart sources (`{chart, version, repository | path}`) that produce this chart. */
export function configKeysForChart(
  raw: Raw,
  namespace: string,
  chart: { chart: string; version?: string; repository?: string },
): string[] {
  const keys: string[] = [];
  for (const { path, value } of entries(raw, namespace)) {
    if (!isObject(value) || typeof value["chart"] !== "string") continue;
    if (chart.version !== undefined && value["version"] !== chart.version) continue;
    const sameSource =
      value["path"] === chart.chart ||
      (chart.repository !== undefined && value["repository"] === chart.repository && value["chart"] === chart.chart) ||
      (typeof value["repository"] === "string" &&
        chart.chart === `${value["repository"].replace(/\/$/, "")}/${value["chart"]}`);
    if (sameSource) keys.push(configKey(path));
  }
  return keys.sort();
}
