import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { commentMarker } from "../../plan/diff/markdown";
import { exampleStacks, PROJECT_ROOT } from "../../plan/stackFiles";
import { serverBinaryOrSkip } from "../support/servers";

/**
 * The pull-request review workflow, read as GitHub reads it: what triggers it, what its token may do, where
 * secrets go, that it previews every example stack with the pinned CLI and the policy pack, that it applies
 * nothing, and that fork pull requests still get the offline plan diff without secrets.
 */

const WORKFLOW_PATH = join(PROJECT_ROOT, ".github", "workflows", "review.yml");
const text = readFileSync(WORKFLOW_PATH, "utf8");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string | boolean>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: Record<string, unknown>; "fail-fast"?: boolean };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string> | string;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = parse(text) as Workflow;
/** The workflow without its comments (which may name what it must not do). */
const content = JSON.stringify(workflow);
const jobs = Object.entries(workflow.jobs);
const steps = jobs.flatMap(([jobName, job]) => job.steps.map((step) => ({ jobName, step })));

const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";
const pulumiSteps = steps.filter(({ step }) => step.uses?.startsWith("pulumi/actions@"));

describe("the review workflow's trigger and token", () => {
  it("runs on pull_request only, never pull_request_target or another privileged trigger", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(content).not.toMatch(/pull_request_target|workflow_run|issue_comment/);
  });

  it("grants contents: read by default, and a job at most contents: read and pull-requests: write", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    for (const [name, job] of jobs) {
      if (job.permissions === undefined) continue;
      expect(typeof job.permissions, name).toBe("object");
      for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
        expect(["contents: read", "pull-requests: write"], name).toContain(`${scope}: ${level}`);
      }
    }
    expect(content).not.toMatch(/write-all|read-all|id-token/);
  });

  it("never leaves the checkout token on disk for later steps", () => {
    for (const { jobName, step } of steps.filter((s) => s.step.uses?.startsWith("actions/checkout@"))) {
      expect(step.with?.["persist-credentials"], jobName).toBe(false);
    }
  });

  it("uses released versions of every action, not a moving branch", () => {
    for (const { step } of steps.filter((s) => s.step.uses)) {
      expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    }
  });
});

describe("pulumi preview per example stack", () => {
  const preview = workflow.jobs["preview"];
  const step = pulumiSteps.find((s) => s.jobName === "preview")?.step as Step;

  it("runs for same-repository pull requests, once per example stack from the stack files", () => {
    expect(preview.if).toBe(SAME_REPO);
    expect(preview.needs).toBe("stacks");
    expect(preview.strategy?.matrix?.["stack"]).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
    expect(preview.strategy?.["fail-fast"]).toBe(false);
    expect(step.with?.["stack-name"]).toBe("${{ matrix.stack }}");
  });

  it("lists exactly the example stacks exampleStacks() knows", () => {
    const list = workflow.jobs["stacks"].steps.find((s) => s.id === "list") as Step;
    const dir = mkdtempSync(join(tmpdir(), "stellaops-workflow-"));
    try {
      const output = join(dir, "output");
      const result = spawnSync(list.shell ?? "bash", ["-c", list.run as string], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, GITHUB_OUTPUT: output },
        encoding: "utf8",
      });
      expect(result.status, result.stderr).toBe(0);
      const line = readFileSync(output, "utf8").trim();
      expect(line.startsWith("stacks=")).toBe(true);
      expect((JSON.parse(line.slice("stacks=".length)) as string[]).sort()).toEqual(exampleStacks());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs `pulumi preview --diff` with the policy pack and the stack's policy config, and comments once per stack", () => {
    expect(step.uses).toBe("pulumi/actions@v6");
    expect(step.with).toMatchObject({
      command: "preview",
      diff: true,
      refresh: false,
      policyPacks: "policy",
      policyPackConfigs: "${{ runner.temp }}/policy-config.json",
      "comment-on-pr": true,
      // pulumi/actions updates its own comment per stack (its heading names project/stack).
      "edit-pr-comment": true,
    });
    expect(existsSync(join(PROJECT_ROOT, "policy", "PulumiPolicy.yaml"))).toBe(true);
    const configStep = preview.steps.find((s) => s.run?.includes("--crossguard-config")) as Step;
    expect(configStep.run).toContain(
      'npm run --silent policy -- --stack "$STACK" --crossguard-config "$RUNNER_TEMP/policy-config.json"',
    );
    expect(preview.steps.indexOf(configStep)).toBeLessThan(preview.steps.indexOf(step));
  });

  it("installs the pinned Pulumi CLI: an exact version, not older than the SDK, equal to Pulumi.version", () => {
    expect(step.with?.["pulumi-version"]).toBe("${{ env.PULUMI_VERSION }}");
    const pinned = workflow.env["PULUMI_VERSION"];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const sdk = (
      JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as {
        version: string;
      }
    ).version.replace(/^v/, "");
    const [a, b] = [pinned, sdk].map((v) => v.split(".").map(Number));
    expect(a[0] * 1e6 + a[1] * 1e3 + a[2], `CLI ${pinned} vs SDK ${sdk}`).toBeGreaterThanOrEqual(
      b[0] * 1e6 + b[1] * 1e3 + b[2],
    );
    const pinFile = join(PROJECT_ROOT, "Pulumi.version");
    if (existsSync(pinFile)) expect(readFileSync(pinFile, "utf8").trim().replace(/^v/, "")).toBe(pinned);
  });

  it("logs in to a self-managed backend: the S3-compatible URL from repository variables, or file://", () => {
    expect(step.with?.["cloud-url"]).toBe(
      "${{ vars.PULUMI_BACKEND_URL || format('file://{0}/pulumi-state', runner.temp) }}",
    );
    expect(content).not.toMatch(/PULUMI_ACCESS_TOKEN|app\.pulumi\.com/);
    expect(step.with?.["secrets-provider"]).toBe("passphrase");
  });
});

describe("nothing is applied", () => {
  it("runs no Pulumi command but preview, through the action or the CLI", () => {
    expect(pulumiSteps.length).toBeGreaterThan(0);
    for (const { step } of pulumiSteps) expect(step.with?.["command"]).toBe("preview");
    for (const { step } of steps.filter((s) => s.step.run)) {
      expect(step.run).not.toMatch(/\bpulumi\s+(up|update|destroy|refresh|import|state|cancel|stack\s+rm)\b/);
    }
  });
});

describe("secrets", () => {
  it("come only from the repository's secret store, as step environment, never inline in a script", () => {
    const uses = [...content.matchAll(/secrets\.([A-Za-z_]+)/g)].map((m) => m[0]);
    expect(uses.length).toBeGreaterThan(0);
    expect(content.match(/\$\{\{ secrets\.[A-Z_]+ \}\}/g)?.length).toBe(uses.length);
    for (const { jobName, step } of steps) {
      expect(step.run ?? "", `${jobName} ${step.name ?? ""}`).not.toContain("${{");
      for (const value of Object.values(step.with ?? {})) expect(String(value)).not.toMatch(/secrets\./);
    }
    for (const [name, job] of jobs) expect(JSON.stringify(job.env ?? {}), name).not.toMatch(/secrets\./);
    expect(workflow.env).not.toMatchObject({ PULUMI_CONFIG_PASSPHRASE: expect.anything() });
  });

  it("reach only the same-repository preview job (fork pull requests never run a job that reads one)", () => {
    for (const [name, job] of jobs) {
      if (JSON.stringify(job).includes("secrets.")) expect(job.if, name).toBe(SAME_REPO);
    }
  });

  it("are never written in the workflow itself", () => {
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|-----BEGIN|passphrase:\s*\S/);
  });
});

describe("the offline plan diff, also for forks", () => {
  const offline = workflow.jobs["offline"];
  const runs = offline.steps.map((s) => s.run ?? "").join("\n");

  it("runs for every pull request (no repository condition), per example stack, with no secret", () => {
    expect(offline.if).toBeUndefined();
    expect(offline.strategy?.matrix?.["stack"]).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
    expect(JSON.stringify(offline)).not.toContain("secrets.");
  });

  it("diffs against the pull request's base commit, with the history the diff needs", () => {
    expect(offline.env?.["BASE_SHA"]).toBe("${{ github.event.pull_request.base.sha }}");
    expect(runs).toContain('npm run --silent plan:diff -- --stack "$STACK" --base "$BASE_SHA"');
    const checkout = offline.steps.find((s) => s.uses?.startsWith("actions/checkout@")) as Step;
    expect(checkout.with?.["fetch-depth"]).toBe(0);
  });

  it("runs the policy pack over the offline plan and fails the job on a mandatory violation or a broken plan", () => {
    expect(runs).toContain('npm run --silent policy -- --stack "$STACK"');
    const fail = offline.steps.find(
      (s) => s.if === "steps.diff.outputs.status != '0' || steps.policy.outputs.status != '0'",
    );
    expect(fail?.run).toMatch(/exit 1/);
    // A stack that does not plan still gets its comment, under the marker renderDiffMarkdown uses.
    expect(runs).toContain(`echo "${commentMarker("$STACK")}"`);
  });

  it("publishes to the job summary and as an artifact for everyone, and comments only where the token can", () => {
    expect(runs).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(offline.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true);
    const comment = offline.steps.find((s) => s.uses?.startsWith("actions/github-script@")) as Step;
    expect(comment.if).toBe(SAME_REPO);
    // One comment per stack, found again by the marker renderDiffMarkdown puts on its first line.
    expect(String(comment.with?.["script"])).toMatch(/startsWith\(marker\)[\s\S]*updateComment[\s\S]*createComment/);
  });
});

describe("the workflow's shell scripts", () => {
  const shellcheck = serverBinaryOrSkip("shellcheck", "shellcheck");
  it
    .skipIf(!shellcheck)
    .each(steps.filter((s) => s.step.run).map((s) => [`${s.jobName}: ${s.step.name ?? s.step.id ?? "run"}`, s.step]))(
    "%s passes shellcheck",
    (_name, step) => {
      const result = spawnSync(shellcheck as string, ["-s", "bash", "-"], {
        input: `#!/bin/bash\n${(step as Step).run as string}`,
        encoding: "utf8",
      });
      expect(result.stdout).toBe("");
      expect(result.status).toBe(0);
    },
  );
});
