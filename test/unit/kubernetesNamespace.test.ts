import { describe, expect, it } from "vitest";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { settingOverride } from "../harness/stackOverrides";

/**
 * The Namespace holds the kubernetes profile's data (the CloudNativePG Cluster, the PVCs, the chart releases):
 * deleting it deletes all of them, whatever their own retainOnDelete says. Read from the recorded plan of the
 * k8s example stack.
 */

const NS = "stellaops-infra";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const DATA_TYPES = new Set([
  "kubernetes:postgresql.cnpg.io/v1:Cluster",
  "kubernetes:core/v1:PersistentVolumeClaim",
  "kubernetes:helm.sh/v3:Release",
]);

function namespaces(plan: PlanDocument): PlanResource[] {
  return plan.resources.filter((r) => r.type === NAMESPACE);
}

function namespaceOf(r: PlanResource): unknown {
  return (r.inputs["metadata"] as { namespace?: unknown } | undefined)?.namespace ?? r.inputs["namespace"];
}

describe("the kubernetes profile's Namespace", () => {
  it.each([
    { protect: true, retainOnDelete: true },
    { protect: false, retainOnDelete: true },
    { protect: true, retainOnDelete: false },
    { protect: false, retainOnDelete: false },
  ])("is kept whenever anything in it is kept, and protected as config says (%o)", async (stateful) => {
    const plan = await planStack("k8s", {
      overrides: { [`${NS}:protect`]: stateful.protect, [`${NS}:retainOnDelete`]: stateful.retainOnDelete },
    });
    const [namespace] = namespaces(plan);
    expect(namespace.options.protect).toBe(stateful.protect);
    const data = plan.resources.filter((r) => DATA_TYPES.has(r.type) && namespaceOf(r) === "stellaops");
    expect(data.length).toBeGreaterThan(0);
    const anythingRetained = data.some((r) => r.options.retainOnDelete === true);
    if (anythingRetained) expect(namespace.options.retainOnDelete).toBe(true);
    expect(namespace.options.retainOnDelete).toBe(stateful.retainOnDelete);
  });

  it("shows a rename as what it is: a new Namespace beside the old one, every resource moving to it", async () => {
    const before = await planStack("k8s");
    const renamed = await planStack("k8s", {
      overrides: settingOverride("k8s", "kubernetes.namespace", "stellaops-b"),
    });
    const [old] = namespaces(before);
    const [created] = namespaces(renamed);
    expect(old.name).toBe("namespace-stellaops");
    expect(created.name).toBe("namespace-stellaops-b");
    // Different resources to the engine: the old one is deleted (retained, or refused while protected), not edited.
    expect(renamed.resources.some((r) => r.urn === old.urn)).toBe(false);
    expect(before.resources.some((r) => r.urn === created.urn)).toBe(false);
    const moved = renamed.resources.filter((r) => namespaceOf(r) === "stellaops-b");
    expect(moved.map((r) => r.type)).toEqual(expect.arrayContaining([...DATA_TYPES]));
    expect(renamed.resources.filter((r) => namespaceOf(r) === "stellaops")).toEqual([]);
  });
});
