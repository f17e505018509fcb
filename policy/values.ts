/**
 * Reading resource properties the same way whether they come from the offline plan (secrets "[secret]", provider
 * inputs JSON-encoded, booleans sometimes "true") or from the engine (plain values). Pure.
 */

/** What the offline plan shows instead of a secret. */
export const REDACTED = "[secret]";
/** Pulumi's marker for a value not known until apply. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The offline plan's marker for it (plan/unknown.ts; the pack imports nothing outside policy/, a test keeps both equal). */
export const PLAN_UNKNOWN = "[unknown]";

/** Not known until apply: the engine's marker (CrossGuard during a preview) or the offline plan's. */
export function isUnknownValue(value: unknown): boolean {
  return value === UNKNOWN || value === PLAN_UNKNOWN;
}

/**
 * The offline plan's unknown: a value a provider computes. Unlike the engine's unknown during a preview (CrossGuard
 * judges real values at `up`), nobody judges it later, so a rule that needs it reports it instead of passing.
 */
export function isPlanUnknown(value: unknown): boolean {
  return value === PLAN_UNKNOWN;
}

/** A value a rule can judge: present, not a redacted secret, not unknown. */
export function isKnown(value: unknown): boolean {
  return value !== undefined && value !== null && value !== REDACTED && !isUnknownValue(value);
}

/** Explicitly true (provider inputs arrive as the string "true"). */
/** Set, but not readable here: a redacted secret or a value only known after apply. Rules give it the benefit of the doubt. */
export function isPending(value: unknown): boolean {
  return value === REDACTED || value === UNKNOWN;
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** Strings holding JSON (provider inputs, policy documents) become values; anything else stays as it is. */
export function decodeJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

export function asList(value: unknown): unknown[] {
  const decoded = decodeJson(value);
  return Array.isArray(decoded) ? decoded : [];
}

export function asRecord(value: unknown): Record<string, unknown> {
  const decoded = decodeJson(value);
  return decoded !== null && typeof decoded === "object" && !Array.isArray(decoded)
    ? (decoded as Record<string, unknown>)
    : {};
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" && isKnown(value) ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** For messages: a value shown compactly (undefined says "not set"). */
export function shown(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}
