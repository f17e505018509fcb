import { describe, expect, it } from "vitest";
import { areaOf, indexByUrn } from "../../plan/graph";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { exampleStacks } from "../../plan/stackFiles";
import { natsToggle, profileOf } from "../harness/stackOverrides";

/** NATS is optional: turning it on or off must change nothing but NATS, in every stack that can run it. */

function walkPaths(value: unknown, visit: (path: string) => void, path = ""): void {
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walkPaths(v, visit, path ? `${path}.${k}` : k);
  } else visit(path);
}

function withoutNats(outputs: Record<string, unknown>): unknown {
  const services = (outputs["services"] ?? {}) as Record<string, Record<string, unknown>>;
  return {
    ...outputs,
    services: Object.fromEntries(Object.entries(services).map(([id, s]) => [id, { ...s, nats: undefined }])),
  };
}

describe.each(exampleStacks().filter((s) => profileOf(s) !== "aws"))(
  "NATS is not a hidden dependency (%s)",
  (stack) => {
    it("turning NATS on or off changes only NATS resources and NATS outputs", async () => {
      const off = await planStack(stack, { overrides: natsToggle(stack, false) });
      const on = await planStack(stack, { overrides: natsToggle(stack, true) });
      const offIndex = indexByUrn(off);
      const onIndex = indexByUrn(on);
      const nonNats = (plan: PlanDocument, index: Map<string, PlanResource>) =>
        plan.resources
          .filter((r) => areaOf(r, index) !== "nats")
          // Materialised outputs (a Kubernetes Secret per service) carry the NATS connection, so they wait on NATS.
          .map((r) =>
            JSON.stringify(areaOf(r, index) === "outputs" ? { ...r, dependencies: [], propertyDependencies: {} } : r),
          );

      expect(off.resources.filter((r) => areaOf(r, offIndex) === "nats")).toEqual([]);
      // An existing NATS server (external profile) gets no resources, only its connection outputs.
      const natsResources = on.resources.filter((r) => areaOf(r, onIndex) === "nats").length;
      if (profileOf(stack) === "external") expect(natsResources).toBe(0);
      else expect(natsResources).toBeGreaterThan(0);
      expect(nonNats(on, onIndex)).toEqual(nonNats(off, offIndex));

      walkPaths(off.outputs, (path) => expect(path).not.toMatch(/\.nats(\.|$)/));
      const natsOutputs: string[] = [];
      walkPaths(on.outputs, (path) => {
        if (/\.nats\./.test(path)) natsOutputs.push(path);
      });
      expect(natsOutputs).toContain("services.scanner.nats.url");
      expect(withoutNats(on.outputs)).toEqual(withoutNats(off.outputs));
    });
  },
);
