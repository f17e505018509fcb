import { UNKNOWN_VALUE } from "./engine/recorder";

/**
 * How the offline plan shows a value a provider computes (an id, an ARN, an endpoint, a generated password, and
 * anything built from one): as `pulumi preview` does for a resource it has not created yet, unknown until apply.
 * The plan JSON keeps the field and puts this marker where the value would be; every format shows it as it is.
 * Stable: readers (plan:diff, policy, airgap:manifest) test for it with isUnknown.
 */
export const UNKNOWN = "[unknown]";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Replaces Pulumi's wire sentinel with the plan's marker, anywhere in a value. */
export function markUnknowns(value: unknown): unknown {
  if (value === UNKNOWN_VALUE) return UNKNOWN;
  if (Array.isArray(value)) return value.map(markUnknowns);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markUnknowns(v)]));
  }
  return value;
}
