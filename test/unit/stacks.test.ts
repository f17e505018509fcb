import { describe, expect, it } from "vitest";
import { areaOf, indexByUrn, SERVER_AREAS } from "../../plan/graph";
import { graphLine } from "../harness/graph";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { exampleStacks, readStackConfig, SECRET_PLACEHOLDER } from "../../plan/stackFiles";
import { profileOf, settingOverride } from "../harness/stackOverrides";

/**
 * Whole-stack properties of every example stack, read from its offline plan: the resource graph, secrets,
 * data safety and the dependency graph. New example stacks are covered as soon as their file exists.
 */

const NS = "stellaops-infra";

/** Data-bearing resources: a replacement of any of these loses data. */
export const STATEFUL_TYPES = new Set([
  "docker:index/volume:Volume",
  "postgresql:index/database:Database",
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:s3/bucket:Bucket",
  "kubernetes:postgresql.cnpg.io/v1:Cluster",
  "kubernetes:core/v1:PersistentVolumeClaim",
]);
/** Kept on the platform when they leave the stack. */
const RETAINED_TYPES = new Set(["docker:index/volume:Volume", "aws:s3/bucket:Bucket"]);

/** Settings that must never touch data: a role's connection limit everywhere; a label, tag or published port per profile. */
function harmlessChanges(stack: string): Record<string, unknown>[] {
  const connectionLimit = settingOverride(stack, "postgres.roleDefaults.connectionLimit", 50);
  switch (profileOf(stack)) {
    case "docker":
      return [
        connectionLimit,
        settingOverride(stack, "docker.labels.team", "platform"),
        settingOverride(stack, "docker.postgres.hostPort", 15432),
        // Recreates every container (log settings are ForceNew), never a volume.
        settingOverride(stack, "docker.logs.maxSize", "50m"),
      ];
    case "kubernetes":
      return [connectionLimit, settingOverride(stack, "kubernetes.labels.team", "platform")];
    case "aws":
      return [connectionLimit, settingOverride(stack, "aws.tags.team", "platform")];
    default:
      return [connectionLimit];
  }
}

const plans = new Map<string, Promise<PlanDocument>>();
function planOf(stack: string): Promise<PlanDocument> {
  if (!plans.has(stack)) plans.set(stack, planStack(stack));
  return plans.get(stack) as Promise<PlanDocument>;
}

/** Inputs of data-bearing resources, minus the fields the program tells the engine to ignore. */
function statefulInputs(plan: PlanDocument): Map<string, unknown> {
  return new Map(
    plan.resources
      .filter((r) => STATEFUL_TYPES.has(r.type))
      .map((r) => {
        const inputs = { ...r.inputs };
        for (const field of r.options.ignoreChanges) delete inputs[field];
        return [r.urn, inputs];
      }),
  );
}

function walkStrings(value: unknown, visit: (s: string, path: string) => void, path = ""): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, visit, `${path}[${i}]`));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walkStrings(v, visit, path ? `${path}.${k}` : k);
  }
}

describe.each(exampleStacks())("example stack %s", (stack) => {
  it("has a resource graph matching its reviewed snapshot", async () => {
    const plan = await planOf(stack);
    const byUrn = indexByUrn(plan);
    const lines = plan.resources.map((r) => graphLine(r, byUrn)).sort();
    await expect(`${lines.join("\n")}\n`).toMatchFileSnapshot(`__snapshots__/${stack}.graph.txt`);
  });

  it("has unique URNs", async () => {
    const urns = (await planOf(stack)).resources.map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
  });

  it("outputs every credential only as a secret, and no secret anywhere in plaintext", async () => {
    const plan = await planOf(stack);
    const text = JSON.stringify(plan);
    expect(text).not.toContain(SECRET_PLACEHOLDER);
    // Generated passwords (fake values under the mocks) must only ever travel as secrets.
    expect(text).not.toContain("fake-password-");
    walkStrings(plan.outputs, (value, path) => {
      if (/(password|connectionString|secretKey|accessKey)$/i.test(path)) expect(value, path).toBe("[secret]");
    });
  });

  it("protects every data-bearing resource unless the stack turns protection off", async () => {
    const plan = await planOf(stack);
    const { config } = readStackConfig(stack);
    const protect = config[`${NS}:protect`] !== "false";
    const retain = config[`${NS}:retainOnDelete`] !== "false";
    for (const r of plan.resources.filter((x) => STATEFUL_TYPES.has(x.type))) {
      expect(r.options.protect ?? false, `${r.type} ${r.name} protect`).toBe(protect);
      if (RETAINED_TYPES.has(r.type))
        expect(r.options.retainOnDelete ?? false, `${r.type} ${r.name} retainOnDelete`).toBe(retain);
    }
  });

  it("changes no data-bearing resource when a harmless setting changes", async () => {
    const basePlan = await planOf(stack);
    const base = statefulInputs(basePlan);
    const allInputs = (plan: PlanDocument) => JSON.stringify(plan.resources.map((r) => r.inputs));
    for (const overrides of harmlessChanges(stack)) {
      const changedPlan = await planStack(stack, { overrides });
      // The change must reach some resource, or this would prove nothing.
      expect(allInputs(changedPlan), `${JSON.stringify(overrides)} changes nothing`).not.toEqual(allInputs(basePlan));
      const changed = statefulInputs(changedPlan);
      expect([...changed.keys()].sort()).toEqual([...base.keys()].sort());
      for (const [urn, inputs] of base)
        expect(changed.get(urn), `${urn} after ${JSON.stringify(overrides)}`).toEqual(inputs);
    }
  });

  it("never makes one service's server or layout wait on another's", async () => {
    const plan = await planOf(stack);
    const byUrn = indexByUrn(plan);
    for (const r of plan.resources) {
      const area = areaOf(r, byUrn);
      if (!(SERVER_AREAS as readonly string[]).includes(area)) continue;
      for (const dep of r.dependencies) {
        const depResource = byUrn.get(dep) as PlanResource;
        expect(depResource, `${r.urn} depends on unknown ${dep}`).toBeDefined();
        const depArea = areaOf(depResource, byUrn);
        expect(
          [area, "platform"],
          `${r.type} ${r.name} (${area}) waits on ${depResource.type} ${depResource.name} (${depArea})`,
        ).toContain(depArea);
      }
    }
  });
});
