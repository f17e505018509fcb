import { ConfigError, parseStackConfig } from "../../profiles/config";

/** Raw config as Pulumi hands it to the program: namespaced keys, structured values as JSON strings. */
export function rawConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`stellaops-infra:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/**
 * What the config loader says about these values, as `key: message` lines ([] when it accepts them). Anything but
 * a ConfigError is rethrown: the loader must never fail any other way.
 */
export function configProblems(
  values: Record<string, unknown>,
  options: { stack?: string; isSecretKey?: (fullKey: string) => boolean; raw?: Record<string, string> } = {},
): string[] {
  try {
    parseStackConfig({ ...rawConfig(values), ...options.raw }, options.stack ?? "test", options.isSecretKey);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}
