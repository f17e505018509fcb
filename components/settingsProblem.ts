/**
 * A setting a component cannot honour, found by a pure check. The same problems are reported by the config loader
 * (profiles/componentRules.ts, next to the key) and refused by the component (a safety net), in the same words.
 */
export interface SettingsProblem {
  /** The config path below `stellaops-infra:`, e.g. ["postgres", "readGrants", 0, "schema"]. */
  readonly path: readonly (string | number)[];
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** `postgres.readGrants[0].schema` from ["postgres", "readGrants", 0, "schema"]; digit-only parts below the top are indexes. */
export function settingsKey(path: readonly PropertyKey[]): string {
  return path
    .map(String)
    .map((part, i) => (i === 0 ? part : /^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join("");
}

/** Settings a component refuses: the message lists every problem, one `key: message` line each. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly SettingsProblem[]) {
    super(problems.map((p) => `${settingsKey(p.path)}: ${p.message}`).join("\n"));
    this.name = new.target.name;
  }
}
