import { DEFAULT_CONTEXT, type StackContext } from "./model";

/**
 * The stack context from a stack's configuration (full key → value, structured values as JSON text, the way
 * Pulumi hands config to a program). Pure. Used by the offline runner and to write CrossGuard's policy config,
 * so both judge a stack the same way.
 *
 * Sources:
 * - sealed, mirrorRegistry: `<project>:airgap` (`sealed`, `mirrorRegistry`);
 * - production: `stellaops-policy:production` when set, else a stack or environment name that says prod
 *   (`prod`, `production`, `prd`, alone or as a `-`/`_`-separated part, e.g. `eu-prod`);
 * - immutableEvidence: `stellaops-policy:immutableEvidence` when set, else `objectStore.objectLock.enabled: true`
 *   (any `…objectLock…` block with `enabled: true` under `objectStore` or the platform's `objectStore` block);
 * - evidenceBucket: `objectStore.bucketPrefix` + `objectStore.buckets.evidence` (default `evidence-locker`).
 */

export const POLICY_NAMESPACE = "stellaops-policy";
const DEFAULT_EVIDENCE_BUCKET = "evidence-locker";
const PLATFORM_KEYS = ["docker", "kubernetes", "aws", "external"];

function parse(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function flag(value: unknown): boolean | undefined {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

export function isProductionName(name: string): boolean {
  return /(^|[-_])(prod|production|prd)([-_]|$)/i.test(name);
}

/** Whether an object-store settings block turns Object Lock on: `objectLock.enabled: true` (or `objectLock: true`). */
export function requestsObjectLock(settings: unknown): boolean {
  for (const [key, value] of Object.entries(record(settings))) {
    if (/objectLock/i.test(key)) {
      if (value === true || record(value)["enabled"] === true) return true;
    } else if (value !== null && typeof value === "object" && requestsObjectLock(value)) {
      return true;
    }
  }
  return false;
}

export function contextFromConfig(
  stack: string,
  config: Readonly<Record<string, string>>,
  project = "stellaops-infra",
): StackContext {
  const get = (key: string) => parse(config[`${project}:${key}`]);
  const airgap = record(get("airgap"));
  const objectStore = record(get("objectStore"));
  const environment = typeof get("environment") === "string" ? String(get("environment")) : stack;

  const production =
    flag(parse(config[`${POLICY_NAMESPACE}:production`])) ?? (isProductionName(stack) || isProductionName(environment));
  const platformObjectStores = PLATFORM_KEYS.map((k) => record(get(k))["objectStore"]);
  const immutableEvidence =
    flag(parse(config[`${POLICY_NAMESPACE}:immutableEvidence`])) ??
    [objectStore, ...platformObjectStores].some(requestsObjectLock);
  const prefix = typeof objectStore["bucketPrefix"] === "string" ? objectStore["bucketPrefix"] : "";
  const evidence = record(objectStore["buckets"])["evidence"];

  return {
    ...DEFAULT_CONTEXT,
    sealed: flag(airgap["sealed"]) ?? false,
    ...(typeof airgap["mirrorRegistry"] === "string" ? { mirrorRegistry: airgap["mirrorRegistry"] } : {}),
    production,
    immutableEvidence,
    evidenceBucket: `${prefix}${typeof evidence === "string" ? evidence : DEFAULT_EVIDENCE_BUCKET}`,
  };
}
