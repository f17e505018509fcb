import { describe, expect, it } from "vitest";
import { dockerLogOptions, dockerLogSettings } from "../../components/docker/logs";
import { parseStackConfig } from "../../profiles/config";
import { diffPlans } from "../../plan/diff/diffPlans";
import { predictionLine } from "../../plan/diff/markdown";
import { rawConfig, configProblems } from "../harness/configProblems";
import { planStack, type PlanDocument } from "../../plan/offlinePlan";
import { natsToggle, settingOverride } from "../harness/stackOverrides";

/**
 * Log rotation on every Docker container (`docker.logs`). Docker's json-file driver keeps a container's whole
 * stdout/stderr unless `max-size` is set, until the host's disk is full; the Docker provider sends `log_driver`
 * and `log_opts` as the container's HostConfig.LogConfig, and both force a new container
 * (kreuzwerker/terraform-provider-docker @ v4.5.0, resource_docker_container.go: ForceNew), so the plan must say
 * that a first `docker.logs` or an edit of it recreates each container while the data volumes stay.
 */

const CONTAINER = "docker:index/container:Container";
const VOLUME = "docker:index/volume:Volume";

describe("docker.logs settings", () => {
  it("defaults to json-file rotated at 20m, five files, on every docker stack", () => {
    const cfg = parseStackConfig(rawConfig({ profile: "docker" }), "dev");
    if (cfg.profile !== "docker") throw new Error("unreachable");
    expect(cfg.docker.logs).toEqual({ driver: "json-file", maxSize: "20m", maxFiles: 5 });
    expect(dockerLogOptions(cfg.docker.logs)).toEqual({
      logDriver: "json-file",
      logOpts: { "max-size": "20m", "max-file": "5" },
    });
  });

  it("refuses a driver without size rotation, sizes Docker would misread, file counts out of range, all at once", () => {
    expect(
      configProblems({
        profile: "docker",
        docker: { logs: { driver: "syslog", maxSize: "10", maxFiles: 0, compress: true } },
      }),
    ).toEqual([
      'stellaops-infra:docker.logs.driver: must be "json-file" or "local"',
      'stellaops-infra:docker.logs.maxSize: must be a whole number (1-99999) of megabytes or gigabytes such as "20m" or "1g"',
      "stellaops-infra:docker.logs.maxFiles: must be a whole number of files (1-100)",
      "stellaops-infra:docker.logs.compress: unknown key; allowed here: driver, maxSize, maxFiles",
    ]);
    for (const maxSize of ["0m", "10k", "1.5g", "10 m", "10M", "$(id)m", 20]) {
      expect(dockerLogSettings.safeParse({ maxSize }).success, String(maxSize)).toBe(false);
    }
    for (const maxSize of ["1m", "20m", "99999m", "1g"]) {
      expect(dockerLogSettings.safeParse({ maxSize }).success, maxSize).toBe(true);
    }
  });
});

describe("docker.logs on the containers (dev stack, NATS on)", () => {
  const logs = { driver: "local", maxSize: "50m", maxFiles: 3 };
  const planned: Promise<PlanDocument> = planStack("dev", {
    overrides: { ...natsToggle("dev", true), ...settingOverride("dev", "docker.logs", logs) },
  });

  it("sets the configured driver and rotation on all four data servers", async () => {
    const plan = await planned;
    const containers = plan.resources.filter((r) => r.type === CONTAINER);
    expect(containers.map((c) => c.name).sort()).toEqual([
      "nats-server",
      "postgres-server",
      "rustfs-server",
      "valkey-server",
    ]);
    for (const c of containers) {
      expect(c.inputs, c.name).toMatchObject({
        logDriver: "local",
        logOpts: { "max-size": "50m", "max-file": "3" },
      });
    }
  });

  it("builds every data server the same way: its volume mounted and waited for, restart and healthcheck wait", async () => {
    const plan = await planned;
    for (const c of plan.resources.filter((r) => r.type === CONTAINER)) {
      const role = c.name.replace(/-server$/, "");
      const volume = plan.resources.find((r) => r.type === VOLUME && r.name === `${role}-data`);
      expect(volume, c.name).toBeDefined();
      expect(volume?.options).toMatchObject({ protect: false, retainOnDelete: false });
      const volumes = c.inputs["volumes"] as { volumeName: string }[];
      expect(volumes[0].volumeName, c.name).toBe(volume?.inputs["name"]);
      expect(c.dependencies, c.name).toContain(volume?.urn);
      expect(c.inputs, c.name).toMatchObject({ restart: "unless-stopped", wait: true, waitTimeout: 300 });
      expect(c.inputs["healthcheck"], c.name).toBeDefined();
    }
  });

  it("predicts the containers' replacement from a stack without rotation, says the volumes survive, keeps them", async () => {
    const head = await planned;
    // The same stack as it was planned before docker.logs existed: no log settings on any container.
    const base: PlanDocument = structuredClone(head);
    for (const r of base.resources.filter((r) => r.type === CONTAINER)) {
      delete r.inputs["logDriver"];
      delete r.inputs["logOpts"];
    }
    const diff = diffPlans(base, head);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => c.type)).toEqual(Array(4).fill(CONTAINER));
    for (const change of diff.changed) {
      expect(change.stateful, change.name).toBe(false);
      expect(change.prediction.verdict, change.name).toBe("replace");
      expect(change.prediction.forcedBy.map((f) => f.path).sort()).toEqual(
        expect.arrayContaining(["logDriver", "logOpts"].map((p) => expect.stringMatching(new RegExp(`^${p}`)))),
      );
      expect(predictionLine(change.prediction)).toMatch(/named docker:index\/volume:Volume.*survives/);
    }
    // The volumes are not part of the change: the knock-on check finds nothing data-bearing either.
    expect(diff.knockOn.filter((k) => k.type === VOLUME)).toEqual([]);
  });
});
