import { describe, expect, it } from "vitest";
import { planStack } from "../../plan/offlinePlan";
import { exampleStacks } from "../../plan/stackFiles";
import { natsToggle, profileOf } from "../harness/stackOverrides";

/**
 * Containers must be creatable on the Docker Engine floor README states (20.10, Debian 12's docker.io, API 1.41)
 * and on Podman's Docker-compatible socket. Fact: a healthcheck `StartInterval` is accepted only from API 1.44
 * (Docker Engine 25.0; Engine API version history, v1.44: "POST /containers/create now accepts StartInterval in
 * HealthConfig"), and older daemons refuse the create. The Docker provider sends only the fields the program sets.
 */
const HEALTHCHECK_FIELDS_BEFORE_API_1_44 = ["interval", "retries", "startPeriod", "tests", "timeout"];

describe.each(exampleStacks().filter((s) => profileOf(s) === "docker"))("Docker Engine floor (%s)", (stack) => {
  it("sets only healthcheck fields that Docker Engine 20.10 (API 1.41) accepts, on every container", async () => {
    const plan = await planStack(stack, { overrides: natsToggle(stack, true) });
    const containers = plan.resources.filter((r) => r.type === "docker:index/container:Container");
    expect(containers.length).toBeGreaterThanOrEqual(4);
    for (const container of containers) {
      const healthcheck = container.inputs["healthcheck"] as Record<string, unknown> | undefined;
      expect(healthcheck, container.name).toBeDefined();
      for (const field of Object.keys(healthcheck ?? {})) {
        expect(HEALTHCHECK_FIELDS_BEFORE_API_1_44, `${container.name}.healthcheck.${field}`).toContain(field);
      }
    }
  });
});
