import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { readStackConfig } from "../../plan/stackFiles";

/**
 * The Kubernetes example stack as the consumers see it: planned as its file has it, and once more with everything
 * the file leaves off switched on (NATS clustered with TLS, per-service Valkey ACLs with replicas and TLS, three
 * PostgreSQL instances, the operator chart, pull secrets). Two plans cover every object the program can render on
 * Kubernetes; each test file plans them once.
 */

const NS = "stellaops-infra";
const STACK = "k8s";

function stackBlock(key: string): Record<string, unknown> {
  const raw = readStackConfig(STACK).config[`${NS}:${key}`];
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

/** Config overrides that switch on what the k8s stack file does not (denyEgress is already on there). */
export function everythingOnOverrides(): Record<string, unknown> {
  const kubernetes = stackBlock("kubernetes");
  return {
    [`${NS}:nats`]: { ...stackBlock("nats"), enabled: true, userMode: "per-service" },
    [`${NS}:valkey`]: { ...stackBlock("valkey"), aclMode: "per-service" },
    [`${NS}:kubernetes`]: {
      ...kubernetes,
      imagePullSecrets: ["mirror-pull"],
      valkey: {
        ...(kubernetes["valkey"] as Record<string, unknown>),
        replicas: 2,
        minReplicasToWrite: 1,
        tlsSecretName: "valkey-tls",
      },
      nats: { replicas: 3, tlsSecretName: "nats-tls" },
      postgres: { instances: 3, operator: { install: true } },
    },
  };
}

export interface KubernetesVariant {
  readonly name: string;
  readonly plan: PlanDocument;
}

/** Both variants, planned one after the other (the mocks are global). */
export async function planKubernetesVariants(): Promise<KubernetesVariant[]> {
  const asIs = await planStack(STACK);
  const everythingOn = await planStack(STACK, { overrides: everythingOnOverrides() });
  return [
    { name: "k8s as its stack file has it", plan: asIs },
    { name: "k8s with NATS, per-service ACLs, TLS, replicas and the operator on", plan: everythingOn },
  ];
}

export function resourcesOf(plan: PlanDocument, type: string): PlanResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The Helm releases of a chart (by the chart name the release installs). */
export function releasesOf(plan: PlanDocument, chart: string): PlanResource[] {
  return resourcesOf(plan, "kubernetes:helm.sh/v3:Release").filter((r) => {
    const name = String(r.inputs["chart"] ?? "");
    return name === chart || name.endsWith(`/${chart}`) || name.endsWith(`/${chart}.tgz`);
  });
}
