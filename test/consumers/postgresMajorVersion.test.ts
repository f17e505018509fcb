import { spawnSync } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MAJOR_GUARD_SCRIPT, majorGuardEnvironment, type MajorGuardArgs } from "../../components/postgres/majorGuard";
import { imageTagMajor } from "../../components/postgres/majorVersion";
import { ConfigError, parseStackConfig } from "../../profiles/config";
import { rawConfig } from "../harness/configProblems";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { settingOverride } from "../harness/stackOverrides";

/**
 * PostgreSQL major versions: the image must run postgres.version's major (refused at config load), a minor bump
 * stays in place, and a major change is refused at `pulumi up` unless postgres.allowMajorUpgradeTo names it.
 */

const DIGEST = `@sha256:${"a".repeat(64)}`;
const GUARD = "command:local:Command";

function problemsOf(values: Record<string, unknown>): string[] {
  try {
    parseStackConfig(rawConfig(values), "test", () => true);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(pulumi.RunError);
    return (err as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("the major an image states", () => {
  it.each([
    ["postgres:18.1", 18],
    ["postgres:18", 18],
    ["postgres:17.6-bookworm", 17],
    ["registry.local:5000/stellaops/postgres:18.1" + DIGEST, 18],
    ["ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie", 18],
    ["registry.local:5000/postgres" + DIGEST, undefined],
    ["registry.local:5000/postgres", undefined],
    ["postgres:latest", undefined],
    ["postgres:bookworm", undefined],
  ])("%s → %s", (image, major) => {
    expect(imageTagMajor(image)).toBe(major);
  });
});

describe("config load: the image runs postgres.version's major", () => {
  it("refuses a 17 image with the default version 18.1 on docker, naming the key", () => {
    expect(problemsOf({ profile: "docker", docker: { postgres: { image: "postgres:17.6" } } })).toEqual([
      expect.stringMatching(
        /^stellaops-infra:docker\.postgres\.image: runs PostgreSQL 17 but postgres\.version is 18\.1 \(major 18\): use a 18 image/,
      ),
    ]);
  });

  it("refuses a digest-pinned image whose tag states no major, and accepts postgres:<version>@sha256:…", () => {
    expect(problemsOf({ profile: "docker", docker: { postgres: { image: `postgres${DIGEST}` } } })).toEqual([
      expect.stringMatching(/^stellaops-infra:docker\.postgres\.image: must state its PostgreSQL major in the tag/),
    ]);
    expect(problemsOf({ profile: "docker", docker: { postgres: { image: `postgres:18.1${DIGEST}` } } })).toEqual([]);
  });

  it("refuses a CloudNativePG operand image of another major, naming kubernetes.postgres.imageName", () => {
    const k8s = { runsInCluster: true, postgres: { imageName: "ghcr.io/cloudnative-pg/postgresql:17.6" } };
    expect(problemsOf({ profile: "kubernetes", kubernetes: k8s })).toEqual([
      expect.stringMatching(
        /^stellaops-infra:kubernetes\.postgres\.imageName: runs PostgreSQL 17 but postgres\.version/,
      ),
    ]);
  });

  it("accepts a minor bump of version and image together", () => {
    const values = {
      profile: "docker",
      postgres: { version: "18.2" },
      docker: { postgres: { image: "postgres:18.2" } },
    };
    expect(problemsOf(values)).toEqual([]);
  });

  it("refuses a switch that names another major than postgres.version, or any switch on an existing server", () => {
    expect(problemsOf({ profile: "docker", postgres: { allowMajorUpgradeTo: 19 } })).toEqual([
      "stellaops-infra:postgres.allowMajorUpgradeTo: names major 19 but postgres.version is 18.1: set it to 18 (the major being upgraded to) or remove it once the upgrade is done",
    ]);
    const external = {
      postgres: { host: "db.internal", adminPassword: "pw-0123456789" },
      valkey: { host: "cache.internal", adminPassword: "pw-0123456789" },
      objectStore: { endpoint: "https://s3.internal:9000", accessKey: "stellaops", secretKey: "pw-0123456789" },
    };
    expect(problemsOf({ profile: "external", external, postgres: { allowMajorUpgradeTo: 18 } })).toEqual([
      "stellaops-infra:postgres.allowMajorUpgradeTo: only for servers this program runs (docker, kubernetes, aws); remove it",
    ]);
  });
});

describe("config load: an RDS major upgrade is applied now", () => {
  const aws = {
    region: "eu-west-1",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    allowedCidrs: ["10.0.0.0/16"],
  };
  const upgrade = (applyImmediately: boolean) => ({
    profile: "aws",
    aws: { ...aws, postgres: { applyImmediately } },
    objectStore: { bucketPrefix: "acme-" },
    postgres: { version: "19.0", allowMajorUpgradeTo: 19 },
  });

  it("refuses the switch without aws.postgres.applyImmediately (the old parameter group would stay in use)", () => {
    expect(problemsOf(upgrade(false))).toEqual([
      expect.stringMatching(
        /^stellaops-infra:aws\.postgres\.applyImmediately: must be true while postgres\.allowMajorUpgradeTo is set/,
      ),
    ]);
    expect(problemsOf(upgrade(true))).toEqual([]);
  });
});

/** Runs the guard script as the command provider would: previous stdout in PULUMI_COMMAND_STDOUT. */
function runGuard(args: MajorGuardArgs, previous?: string) {
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...majorGuardEnvironment(args) };
  if (previous !== undefined) env["PULUMI_COMMAND_STDOUT"] = previous;
  const result = spawnSync("/bin/sh", ["-c", MAJOR_GUARD_SCRIPT], { env, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

describe("the major-version guard script (run with /bin/sh)", () => {
  it("records the major on create and passes a run at the same major (a minor bump, a switch removed)", () => {
    expect(runGuard({ major: 18, platform: "docker" })).toEqual({ status: 0, stdout: "18", stderr: "" });
    expect(runGuard({ major: 18, platform: "docker" }, "18")).toMatchObject({ status: 0, stdout: "18" });
    expect(runGuard({ major: 18, allowMajorUpgradeTo: 18, platform: "aws" }, "18")).toMatchObject({ status: 0 });
  });

  it.each(["docker", "kubernetes", "aws"] as const)(
    "refuses a major change without the switch on %s, naming its procedure",
    (platform) => {
      const refused = runGuard({ major: 19, platform }, "18");
      expect(refused.status).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain("refused: PostgreSQL runs major 18 and the config asks for 19");
      expect(refused.stderr).toContain(`docs/postgres.md, "Major version upgrades: ${platform}"`);
    },
  );

  it("lets an upgrade through when the switch names the new major, and records it", () => {
    expect(runGuard({ major: 19, allowMajorUpgradeTo: 19, platform: "kubernetes" }, "18")).toEqual({
      status: 0,
      stdout: "19",
      stderr: "",
    });
  });

  it("refuses a downgrade even with the switch (no platform downgrades a data directory)", () => {
    expect(runGuard({ major: 17, allowMajorUpgradeTo: 17, platform: "aws" }, "18").status).toBe(1);
  });
});

function one(plan: PlanDocument, type: string, name: string): PlanResource {
  const matches = plan.resources.filter((r) => r.type === type && r.name === name);
  expect(matches, `${type} ${name}`).toHaveLength(1);
  return matches[0];
}

describe("the guard in each platform's plan", () => {
  const servers: [string, string, string][] = [
    ["dev", "docker:index/container:Container", "postgres-server"],
    ["k8s", "kubernetes:postgresql.cnpg.io/v1:Cluster", "postgres-cluster"],
    ["prod", "aws:rds/instance:Instance", "postgres-instance"],
    ["prod", "aws:rds/parameterGroup:ParameterGroup", "postgres-parameters"],
  ];
  it.each(servers)("%s: %s %s waits for the guard", async (stack, type, name) => {
    const plan = await planStack(stack);
    const guard = one(plan, GUARD, "postgres-major-guard");
    expect(one(plan, type, name).dependencies).toContain(guard.urn);
    expect(guard.inputs).toMatchObject({ interpreter: ["/bin/sh", "-c"], addPreviousOutputInEnv: true });
    expect(guard.inputs["environment"]).toMatchObject({ MAJOR: "18" });
  });

  it("a minor bump leaves the guard's inputs as they are, so it does not run", async () => {
    const before = await planStack("prod");
    const after = await planStack("prod", { overrides: settingOverride("prod", "postgres.version", "18.3") });
    expect(one(after, GUARD, "postgres-major-guard").inputs).toEqual(one(before, GUARD, "postgres-major-guard").inputs);
  });

  const CONTAINER = "docker:index/container:Container";
  const CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
  /** stack, image key, new image, where the image shows (type, name, input), the server that waits on the guard. */
  const upgrades: [string, string, string, [string, string, string], [string, string]][] = [
    [
      "dev",
      "docker.postgres.image",
      "postgres:19.0",
      ["docker:index/remoteImage:RemoteImage", "postgres-image", "name"],
      [CONTAINER, "postgres-server"],
    ],
    [
      "k8s",
      "kubernetes.postgres.imageName",
      "ghcr.io/cloudnative-pg/postgresql:19.0",
      [CLUSTER, "postgres-cluster", "spec"],
      [CLUSTER, "postgres-cluster"],
    ],
  ];
  it.each(upgrades)(
    "%s: with the switch, a major upgrade plans the new image behind the guard",
    async (stack, imageKey, image, [type, name, input], [serverType, serverName]) => {
      const before = await planStack(stack);
      const postgres = settingOverride(stack, "postgres.version", "19.0")["stellaops-infra:postgres"] as object;
      const overrides = {
        "stellaops-infra:postgres": { ...postgres, allowMajorUpgradeTo: 19 },
        ...settingOverride(stack, imageKey, image),
      };
      const after = await planStack(stack, { overrides });
      expect(JSON.stringify(one(after, type, name).inputs[input])).toContain(image);
      expect(JSON.stringify(one(before, type, name).inputs[input])).not.toContain(image);
      const guard = one(after, GUARD, "postgres-major-guard");
      expect(guard.inputs["environment"]).toMatchObject({ MAJOR: "19", ALLOW_MAJOR_UPGRADE_TO: "19" });
      expect(one(after, serverType, serverName).dependencies).toContain(guard.urn);
    },
  );

  it("RDS: the switch sets allowMajorVersionUpgrade and a new family's parameter group under a new name", async () => {
    const before = await planStack("prod");
    const { ["stellaops-infra:postgres"]: postgres } = settingOverride("prod", "postgres.version", "19.0");
    const upgrade = { ...(postgres as object), allowMajorUpgradeTo: 19 };
    const applyNow = settingOverride("prod", "aws.postgres.applyImmediately", true);
    const after = await planStack("prod", { overrides: { "stellaops-infra:postgres": upgrade, ...applyNow } });
    const instance = (plan: PlanDocument) => one(plan, "aws:rds/instance:Instance", "postgres-instance");
    const group = (plan: PlanDocument) => one(plan, "aws:rds/parameterGroup:ParameterGroup", "postgres-parameters");
    expect(instance(before).inputs["allowMajorVersionUpgrade"]).toBe(false);
    expect(instance(after).inputs["allowMajorVersionUpgrade"]).toBe(true);
    expect(group(after).inputs).toMatchObject({ family: "postgres19" });
    // A new name, so the new group can exist beside the old one until the instance has moved to it.
    expect(group(after).inputs["name"]).not.toBe(group(before).inputs["name"]);
    expect(one(after, GUARD, "postgres-major-guard").inputs["environment"]).toMatchObject({
      MAJOR: "19",
      ALLOW_MAJOR_UPGRADE_TO: "19",
    });
  });
});
