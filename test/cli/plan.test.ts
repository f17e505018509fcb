import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planCommand } from "../../scripts/commands/plan";
import { projectWithStack, runInProcess } from "../harness/cli";
import { PROJECT_ROOT } from "../../plan/stackFiles";

/** The command `npm run --silent plan -- …` runs, in-process; the pipe test below runs the real one. */
const plan = (args: string[]) => runInProcess("plan", planCommand, args);

const scratch = mkdtempSync(join(tmpdir(), "stellaops-plan-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("npm run plan", () => {
  it("delivers the whole plan to a slow reader of a pipe (`npm run plan | jq`)", () => {
    // A large plan (prod is over 128 KiB) behind a reader that starts late: exiting before stdout drains truncates it.
    const result = spawnSync("sh", ["-c", "npm run --silent plan -- --stack prod --format json | (sleep 1; cat)"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(result.stdout.length).toBeGreaterThan(128 * 1024);
    const doc = JSON.parse(result.stdout) as { stack: string; resources: unknown[] };
    expect(doc.stack).toBe("prod");
    expect(doc.resources.length).toBeGreaterThan(0);
  });

  it("prints exactly one JSON document with the promised fields for dev", async () => {
    const { status, stdout, stderr } = await plan(["--stack", "dev", "--format", "json"]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ project: "stellaops-infra", stack: "dev" });
    const resources = doc["resources"] as Record<string, unknown>[];
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          "urn",
          "type",
          "name",
          "custom",
          "parent",
          "provider",
          "dependencies",
          "inputs",
          "options",
        ]),
      );
      expect(typeof r["urn"]).toBe("string");
      expect(Array.isArray(r["dependencies"])).toBe(true);
    }
    // Resources under an explicit provider name it; the provider itself is in the plan.
    const network = resources.find((r) => r["type"] === "docker:index/network:Network");
    expect(network?.["provider"]).toMatch(/pulumi:providers:docker::docker::/);
    expect(resources.some((r) => r["type"] === "pulumi:providers:docker")).toBe(true);
    expect(doc["outputs"]).toMatchObject({ profile: "docker", environment: "dev" });
  });

  it("exits 1 naming the key when the stack file is broken", async () => {
    const dir = projectWithStack(
      scratch,
      "broken",
      "config:\n  stellaops-infra:profile: docker\n  stellaops-infra:postgres:\n    version: newest\n",
    );
    const { status, stdout, stderr } = await plan(["--stack", "broken", "--dir", dir]);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("stellaops-infra:postgres.version");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 1 for an unknown stack, listing the known ones", async () => {
    const { status, stderr } = await plan(["--stack", "no-such-stack"]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/unknown stack "no-such-stack".*known stacks: .*dev/);
  });
});
