import type { AuditResource, EnforcementLevel, Rule, StackContext } from "./model";

/**
 * Runs the rules over a whole stack without the Pulumi engine: the offline plan's resources (scripts/policy.ts)
 * or synthetic ones (tests). Pure.
 */

/** The part of the offline plan (plan/offlinePlan.ts) the rules read. */
export interface PlanLike {
  stack: string;
  resources: readonly {
    urn: string;
    type: string;
    name: string;
    provider: string | null;
    dependencies: readonly string[];
    inputs: Record<string, unknown>;
    options: { protect: boolean | null };
  }[];
}

export interface Finding {
  rule: string;
  level: EnforcementLevel;
  urn?: string;
  type?: string;
  name?: string;
  message: string;
}

/** A provider reference is `<provider urn>::<provider id>`. */
function providerUrn(ref: string): string {
  return ref.slice(0, ref.lastIndexOf("::"));
}

export function auditResourcesFromPlan(plan: PlanLike): AuditResource[] {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  return plan.resources.map((r) => {
    const provider = r.provider ? byUrn.get(providerUrn(r.provider)) : undefined;
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      props: r.inputs,
      protect: r.options.protect === true,
      dependencies: [...r.dependencies],
      ...(provider ? { provider: { type: provider.type, props: provider.inputs } } : {}),
    };
  });
}

export function evaluate(rules: readonly Rule[], resources: readonly AuditResource[], ctx: StackContext): Finding[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const findings: Finding[] = [];
  for (const rule of rules) {
    const level = rule.level(ctx);
    if (level === "disabled") continue;
    if (rule.kind === "resource") {
      for (const resource of resources.filter((r) => rule.types.includes(r.type))) {
        for (const message of rule.check(resource, ctx)) {
          findings.push({
            rule: rule.name,
            level,
            urn: resource.urn,
            type: resource.type,
            name: resource.name,
            message,
          });
        }
      }
    } else {
      for (const v of rule.check(resources, ctx)) {
        const resource = v.urn ? byUrn.get(v.urn) : undefined;
        findings.push({
          rule: rule.name,
          level,
          ...(v.urn ? { urn: v.urn } : {}),
          ...(resource ? { type: resource.type, name: resource.name } : {}),
          message: v.message,
        });
      }
    }
  }
  return findings;
}

export function hasMandatory(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === "mandatory");
}

/** Human-readable report: one block per finding, mandatory first, then a summary line. */
export function formatFindings(stack: string, findings: readonly Finding[], rulesRun: number): string {
  const ordered = [...findings].sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1));
  const lines = ordered.map(
    (f) => `[${f.level}] ${f.rule}: ${f.type ? `${f.type} ${f.name}` : "stack"}\n    ${f.message}`,
  );
  const mandatory = findings.filter((f) => f.level === "mandatory").length;
  const advisory = findings.length - mandatory;
  lines.push(
    `policy ${stack}: ${rulesRun} rules, ${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}, ${advisory} advisory`,
  );
  return `${lines.join("\n")}\n`;
}
