import type {
  EnforcementLevel as PolicyEnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import * as policyProxy from "@pulumi/policy/proxy";
import {
  DEFAULT_CONTEXT,
  DEFAULT_DATA_PORTS,
  type AuditResource,
  type ContextKey,
  type Rule,
  type StackContext,
} from "./model";
import { UNKNOWN } from "./values";

/**
 * The pack's rules as CrossGuard policies, and the policy config that gives them a stack's context
 * (`pulumi preview --policy-pack policy --policy-pack-config <file>`). Building a PolicyPack starts the policy
 * server, so only policy/index.ts does that; this module is plain functions.
 */

const CONTEXT_SCHEMA: Record<ContextKey, PolicyConfigJSONSchema> = {
  sealed: { type: "boolean", default: false, description: "air-gapped stack (config airgap.sealed)" },
  mirrorRegistry: { type: "string", description: "the mirror registry (config airgap.mirrorRegistry)" },
  production: { type: "boolean", default: false, description: "production stack" },
  immutableEvidence: { type: "boolean", default: false, description: "the stack asks for immutable evidence" },
  evidenceBucket: { type: "string", description: "physical name of the evidence bucket" },
  dataPorts: {
    type: "array",
    items: { type: "integer" },
    default: [...DEFAULT_DATA_PORTS],
    description: "container ports that carry data",
  },
};

function configSchema(rule: Rule): PolicyConfigSchema | undefined {
  if (rule.uses.length === 0) return undefined;
  return { properties: Object.fromEntries(rule.uses.map((key) => [key, CONTEXT_SCHEMA[key]])) };
}

/** The stack context from one policy's config (what the generated config file gave it, defaults otherwise). */
export function contextFromPolicyConfig(config: Partial<StackContext>): StackContext {
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_CONTEXT, ...defined } as StackContext;
}

/** The engine's markers for values not known during preview (see @pulumi/policy's proxy). */
const UNKNOWN_SENTINELS = new Set(
  Object.entries(policyProxy as unknown as Record<string, unknown>)
    .filter(([key, value]) => /^unknown[A-Z]\w*Value$/.test(key) && typeof value === "string")
    .map(([, value]) => value as string),
);

/**
 * Plain props for the rules: the engine hands them behind a proxy that throws on every unknown value, which
 * would abort a whole stack rule during preview. Unknowns become the one UNKNOWN marker rules understand.
 */
export function plainProps(props: Record<string, unknown>): Record<string, unknown> {
  const target =
    (props as Record<string, unknown>)["__getSpecialProxyTarget"] !== undefined
      ? ((props as Record<string, unknown>)["__getSpecialProxyTarget"] as Record<string, unknown>)
      : props;
  const plain = (value: unknown): unknown => {
    if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    }
    return value;
  };
  return plain(target) as Record<string, unknown>;
}

export function fromValidationArgs(args: ResourceValidationArgs): AuditResource {
  return {
    urn: args.urn,
    type: args.type,
    name: args.name,
    props: plainProps(args.props),
    protect: args.opts?.protect === true,
    dependencies: [],
    ...(args.provider ? { provider: { type: args.provider.type, props: plainProps(args.provider.props) } } : {}),
  };
}

export function fromPolicyResource(resource: PolicyResource): AuditResource {
  const bucketDeps = resource.propertyDependencies?.["bucket"];
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    props: plainProps(resource.props),
    protect: resource.opts?.protect === true,
    dependencies: (resource.dependencies ?? []).map((d) => d.urn),
    ...(bucketDeps && bucketDeps.length > 0 ? { bucketDependencies: bucketDeps.map((d) => d.urn) } : {}),
    ...(resource.provider
      ? { provider: { type: resource.provider.type, props: plainProps(resource.provider.props) } }
      : {}),
  };
}

export function toCrossGuardPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
  const schema = configSchema(rule);
  const common = {
    name: rule.name,
    description: rule.description,
    // Without a config file the pack judges a stack as non-sealed, non-production (DEFAULT_CONTEXT).
    enforcementLevel: rule.level(DEFAULT_CONTEXT) as PolicyEnforcementLevel,
    severity: rule.severity,
    remediationSteps: rule.remediation,
    ...(schema ? { configSchema: schema } : {}),
  };
  if (rule.kind === "resource") {
    return {
      ...common,
      validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!rule.types.includes(args.type)) return;
        const ctx = contextFromPolicyConfig(args.getConfig<Partial<StackContext>>());
        for (const message of rule.check(fromValidationArgs(args), ctx)) report(message);
      },
    };
  }
  return {
    ...common,
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const ctx = contextFromPolicyConfig(args.getConfig<Partial<StackContext>>());
      for (const v of rule.check(args.resources.map(fromPolicyResource), ctx)) report(v.message, v.urn);
    },
  };
}

/** Per-policy config entry of a CrossGuard policy config file. */
export type PolicyConfigEntry = { enforcementLevel: PolicyEnforcementLevel } & Partial<StackContext>;

/**
 * The `--policy-pack-config` file for a stack: each policy's enforcement level on this stack and the context
 * values it reads, so CrossGuard judges the stack exactly as `npm run policy` does.
 */
export function crossGuardConfig(rules: readonly Rule[], ctx: StackContext): Record<string, PolicyConfigEntry> {
  return Object.fromEntries(
    rules.map((rule) => {
      const values = Object.fromEntries(
        rule.uses.filter((key) => ctx[key] !== undefined).map((key) => [key, ctx[key]]),
      );
      return [rule.name, { enforcementLevel: rule.level(ctx) as PolicyEnforcementLevel, ...values }];
    }),
  );
}
