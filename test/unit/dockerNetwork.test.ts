import { describe, expect, it } from "vitest";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { settingOverride } from "../harness/stackOverrides";

/**
 * The Docker network has a fixed name and every input of it forces a new network (kreuzwerker docker @ v4.5.0,
 * resource_docker_network.go). A replacement would clash with the existing name and could not delete a network
 * containers still use, so no harmless edit may reach its replacement-forcing inputs.
 */

function network(plan: PlanDocument): PlanResource {
  const matches = plan.resources.filter((r) => r.type === "docker:index/network:Network");
  expect(matches).toHaveLength(1);
  return matches[0];
}

describe("the Docker network across a label edit", () => {
  it("keeps its name and driver, and ignores the label change instead of replacing the network", async () => {
    const before = network(await planStack("dev"));
    const after = network(
      await planStack("dev", { overrides: settingOverride("dev", "docker.labels", { team: "platform" }) }),
    );
    expect(after.urn).toBe(before.urn);
    expect(after.inputs["labels"]).not.toEqual(before.inputs["labels"]);
    const { labels: _before, ...forcingBefore } = before.inputs;
    const { labels: _after, ...forcingAfter } = after.inputs;
    expect(forcingAfter).toEqual(forcingBefore);
    expect(after.options.ignoreChanges).toEqual(["labels"]);
  });
});
