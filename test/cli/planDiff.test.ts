import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../plan/stackFiles";
import { planDiffCommand } from "../../scripts/commands/planDiff";
import { runInProcess } from "../harness/cli";

/**
 * `npm run plan:diff` end to end in a throwaway git repository holding this project: one run as CI starts it (a
 * process of its own), the rest in-process on the same repository (each tree is still planned in a process).
 */

describe("npm run plan:diff (end to end, in a throwaway git repository)", () => {
  const repo = mkdtempSync(join(tmpdir(), "stellaops-plan-diff-"));
  const git = (...args: string[]) => {
    const result = spawnSync(
      "git",
      [
        "-C",
        repo,
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "commit.gpgsign=false",
        ...args,
      ],
      { encoding: "utf8" },
    );
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout.trim();
  };
  const planDiff = (args: string[]) => {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "--import", "./scripts/sourceMapsOff.ts", "scripts/planDiff.ts", ...args],
      {
        cwd: repo,
        encoding: "utf8",
        timeout: 300_000,
      },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  /** The same command in-process, on the throwaway repository; it still plans each tree in a process of its own. */
  const planDiffInProcess = (args: string[]) => runInProcess("plan:diff", planDiffCommand, ["--dir", repo, ...args]);

  beforeAll(() => {
    // The project as it is now (tracked and new files), committed as the base.
    const files = spawnSync("git", ["-C", PROJECT_ROOT, "ls-files", "-co", "--exclude-standard"], { encoding: "utf8" })
      .stdout.split("\n")
      .filter((f) => f !== "" && f !== "node_modules");
    for (const file of files) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      try {
        copyFileSync(join(PROJECT_ROOT, file), join(repo, file));
      } catch {
        // Listed but deleted in the working tree: not part of the project any more.
      }
    }
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(repo, "node_modules"), "dir");
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    // The change under review: a label on the dev stack and a new stack.
    appendFileSync(join(repo, "Pulumi.dev.yaml"), "    labels:\n      team: platform\n");
    writeFileSync(join(repo, "Pulumi.review.yaml"), "config:\n  stellaops-infra:profile: docker\n");
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("lists the changed input of the changed resource", () => {
    const base = git("rev-parse", "HEAD");
    const { status, stdout, stderr } = planDiff([
      "--stack",
      "dev",
      "--base",
      base,
      "--base-label",
      "main`x",
      "--head-label",
      "this pull request",
    ]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout.split("\n")[0]).toBe("<!-- stellaops-plan-diff:dev -->");
    // A full commit is shown short; a label with a backtick cannot break out of its code span.
    expect(stdout).toContain(`Base \`main'x\` (${base.slice(0, 7)}) → this pull request.`);
    expect(stdout).toMatch(/~\d+ changed\*\*/);
    const network = stdout.split("**`network`** `docker:index/network:Network`")[1]?.split("\n\n**")[0] ?? "";
    // The network's labels are set at creation only (a label change would replace the fixed-name network).
    expect(network).toMatch(
      /\| `labels\[\d\]` \(ignoreChanges: not applied to the existing resource\) \| `\(unset\)` \| `\{"label":"team","value":"platform"\}` \|/,
    );
    // A label is harmless: no data-bearing resource may change for it (volumes ignore label changes).
    expect(stdout).not.toContain("[!WARNING]");
  });

  it("shows a stack that is new in the change as entirely added, and writes --out", async () => {
    const out = join(repo, "review.md");
    const { status } = await planDiffInProcess(["--stack", "review", "--base", "HEAD", "--out", out]);
    expect(status).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toContain("Stack `review` does not exist at HEAD");
    expect(text).toMatch(/\| `network` \| `docker:index\/network:Network` \|/);
  });

  it("reports nothing changed for a stack the change does not touch", async () => {
    git("stash", "-u", "-q");
    try {
      const { status, stdout } = await planDiffInProcess(["--stack", "dev", "--base", "HEAD"]);
      expect(status).toBe(0);
      expect(stdout).toContain("No change to the desired state of `dev`");
    } finally {
      git("stash", "pop", "-q");
    }
  });

  it("exits 1 for an unknown ref and 2 without --base", async () => {
    const unknown = await planDiffInProcess(["--stack", "dev", "--base", "no-such-ref"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown git ref "no-such-ref"');
    expect((await planDiffInProcess(["--stack", "dev"])).status).toBe(2);
    expect((await planDiffInProcess(["--stack", "dev", "--base=--output=x"])).status).toBe(2);
    expect((await planDiffInProcess(["--stack", "dev", "--base", "HEAD", "--no-such-option"])).status).toBe(2);
  });
});
