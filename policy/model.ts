/**
 * The policy pack's own small model, shared by the CrossGuard adapter (policy/crossguard.ts) and the offline
 * runner (scripts/policy.ts). Pure: no Pulumi, no @pulumi/policy, so rules are tested by calling them.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/** A resource as a rule sees it, whether it came from the offline plan or from the Pulumi engine. */
export interface AuditResource {
  urn: string;
  type: string;
  /** Logical name. */
  name: string;
  /** Inputs (offline plan, resource validation) or inputs plus known outputs (stack validation). */
  props: Record<string, unknown>;
  /** The `protect` resource option. */
  protect: boolean;
  /** URNs this resource depends on (declared or through its inputs). */
  dependencies: string[];
  /** URNs the `bucket` input came from, when the engine says so (CrossGuard propertyDependencies). */
  bucketDependencies?: string[];
  /** The explicit provider resource, when there is one. */
  provider?: { type: string; props: Record<string, unknown> };
}

/**
 * What a rule needs to know about the stack beyond its resources. The offline runner derives it from the stack's
 * config (policy/context.ts); CrossGuard receives the same values as policy config (policy/crossguard.ts).
 */
export interface StackContext {
  /** Air-gapped (config `airgap.sealed`): images must come from the mirror, pinned by digest. */
  sealed: boolean;
  /** Config `airgap.mirrorRegistry`: the one registry a sealed stack pulls from. */
  mirrorRegistry?: string;
  /** A production stack: deletion protection and `protect` are required. */
  production: boolean;
  /** The stack asks for immutable evidence: the evidence bucket needs S3 Object Lock with a default retention. */
  immutableEvidence: boolean;
  /** The evidence bucket's physical name (prefix + objectStore.buckets.evidence). */
  evidenceBucket?: string;
  /** Container ports that carry data (PostgreSQL, Valkey, S3, NATS) and must not be published on every interface. */
  dataPorts: number[];
}

export const DEFAULT_DATA_PORTS: readonly number[] = [
  5432, // PostgreSQL
  6379, // Valkey
  8080, // RustFS as StellaOps addresses it
  9000, // RustFS S3 API (its own default)
  9001, // RustFS console
  4222, // NATS clients
  6222, // NATS cluster routes
  8222, // NATS monitoring
];

export const DEFAULT_CONTEXT: StackContext = {
  sealed: false,
  production: false,
  immutableEvidence: false,
  dataPorts: [...DEFAULT_DATA_PORTS],
};

/** The context keys a rule reads; CrossGuard gets exactly these as that policy's config. */
export type ContextKey = keyof StackContext;

export interface Violation {
  /** The offending resource; absent when the stack as a whole is in violation. */
  urn?: string;
  /** What is wrong and how to fix it. */
  message: string;
}

interface RuleBase {
  /** Policy name (kebab-case, unique in the pack). */
  name: string;
  description: string;
  /** What to change, in general terms (CrossGuard's remediationSteps; every message also says it). */
  remediation: string;
  severity: "low" | "medium" | "high" | "critical";
  /** The enforcement level on a stack with this context. */
  level(ctx: StackContext): EnforcementLevel;
  /** Context keys the rule reads (become its CrossGuard config schema). */
  uses: readonly ContextKey[];
}

/** Judges one resource at a time. */
export interface ResourceRule extends RuleBase {
  kind: "resource";
  /** Resource type tokens the rule applies to. */
  types: readonly string[];
  /** Returns one message per problem (empty when the resource complies). */
  check(resource: AuditResource, ctx: StackContext): string[];
}

/** Judges resources together (a bucket and the resources configuring it). */
export interface StackRule extends RuleBase {
  kind: "stack";
  check(resources: readonly AuditResource[], ctx: StackContext): Violation[];
}

export type Rule = ResourceRule | StackRule;

export const always = (level: EnforcementLevel) => (): EnforcementLevel => level;

/** A rule's message: the problem, then the fix. */
export function violation(problem: string, fix: string): string {
  return `${problem}. Fix: ${fix}`;
}
