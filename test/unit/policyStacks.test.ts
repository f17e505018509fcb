import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contextFromConfig } from "../../policy/context";
import { auditResourcesFromPlan, evaluate, type Finding } from "../../policy/evaluate";
import { DEFAULT_DATA_PORTS } from "../../policy/model";
import { T } from "../../policy/resourceTypes";
import { RULES } from "../../policy/rules";
import { policyCommand } from "../../scripts/commands/policy";
import { npmRun, runInProcess } from "../harness/cli";
import { planStack } from "../../plan/offlinePlan";
import { planResource } from "../harness/planFixtures";
import { exampleStacks, readStackConfig } from "../../plan/stackFiles";

/**
 * The policy pack over the offline plan of every example stack, through the command an operator runs
 * (`npm run policy -- --stack <name>`): every example stack passes, and a violating plan fails the command.
 */

/** The command `npm run policy -- …` runs, in-process; one test below runs the real one. */
const policy = (args: string[]) => runInProcess("policy", policyCommand, args);

const scratch = mkdtempSync(join(tmpdir(), "stellaops-policy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Report {
  stack: string;
  mandatory: boolean;
  findings: Finding[];
}

describe.each(exampleStacks())("npm run policy -- --stack %s", (stack) => {
  it("passes: no mandatory violation", async () => {
    const { status, stdout, stderr } = await policy(["--stack", stack, "--format", "json"]);
    const report = JSON.parse(stdout) as Report;
    expect(
      report.findings.filter((f) => f.level === "mandatory"),
      stderr,
    ).toEqual([]);
    expect(report.mandatory).toBe(false);
    expect(status).toBe(0);
  });

  it("writes a CrossGuard policy config naming every policy", async () => {
    const file = join(scratch, `${stack}.policy-config.json`);
    const { status } = await policy(["--stack", stack, "--crossguard-config", file]);
    expect(status).toBe(0);
    const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, { enforcementLevel: string }>;
    expect(Object.keys(config).sort()).toEqual(RULES.map((r) => r.name).sort());
  });
});

describe("npm run policy on a violating plan", () => {
  const resource = (type: string, name: string, inputs: Record<string, unknown>) =>
    planResource("dev", type, name, inputs, { options: { protect: false, retainOnDelete: false } });
  const plan = {
    project: "stellaops-infra",
    stack: "dev",
    resources: [
      resource(T.dockerContainer, "valkey-server", {
        image: "valkey/valkey:9.0.1",
        ports: [{ internal: 6379, external: 6379, ip: "0.0.0.0" }],
      }),
      resource(T.rdsInstance, "postgres-instance", {
        engine: "postgres",
        engineVersion: "18",
        storageEncrypted: true,
        publiclyAccessible: true,
      }),
    ],
    outputs: {},
  };

  it("exits 1, listing each mandatory violation with its fix, and the advisory ones", () => {
    const file = join(scratch, "violating-plan.json");
    writeFileSync(file, JSON.stringify(plan));
    // The real command, end to end (npm, tsx, the exit code once stdout is flushed).
    const { status, stdout } = npmRun("policy", ["--stack", "dev", "--plan", file]);
    expect(status).toBe(1);
    expect(stdout).toMatch(
      /\[mandatory\] docker-data-ports-not-public: docker:index\/container:Container valkey-server\n\s+.*Fix:/,
    );
    expect(stdout).toMatch(/\[mandatory\] rds-not-public: aws:rds\/instance:Instance postgres-instance/);
    expect(stdout).toMatch(/\[advisory\] images-pinned-by-digest: docker:index\/container:Container valkey-server/);
    expect(stdout).toMatch(/policy dev: \d+ rules, 2 mandatory violations, 1 advisory/);
  });

  it("exits 1 naming the problem for an unknown stack, and 2 without --stack", async () => {
    const unknown = await policy(["--stack", "no-such-stack"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/unknown stack "no-such-stack"/);
    expect((await policy([])).status).toBe(2);
  });
});

describe("the offline policy on the program's own resources", () => {
  it.each(exampleStacks().filter((s) => readStackConfig(s).config["stellaops-infra:profile"] === "docker"))(
    "%s with docker.bindAddress 0.0.0.0 flags every published data port, and nothing else",
    async (stack) => {
      const { project, config } = readStackConfig(stack);
      const docker = JSON.parse(config["stellaops-infra:docker"] ?? "{}") as Record<string, unknown>;
      const plan = await planStack(stack, {
        overrides: { "stellaops-infra:docker": { ...docker, bindAddress: "0.0.0.0" } },
      });
      const findings = evaluate(RULES, auditResourcesFromPlan(plan), contextFromConfig(stack, config, project)).filter(
        (f) => f.rule === "docker-data-ports-not-public",
      );
      const publishing = plan.resources.filter(
        (r) =>
          r.type === T.dockerContainer &&
          ((r.inputs["ports"] as { internal: number }[] | undefined) ?? []).some((p) =>
            DEFAULT_DATA_PORTS.includes(p.internal),
          ),
      );
      expect(findings.map((f) => f.urn).sort()).toEqual(publishing.map((r) => r.urn).sort());
    },
  );
});
