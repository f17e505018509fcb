/**
 * `npm run plan:diff -- --stack <name> --base <git-ref>`: what a change does to a stack's desired state, as
 * Markdown for a pull-request comment. Plans the stack twice, offline (no credentials, no state): at the base ref
 * (its files extracted with `git archive` into a temporary directory that borrows this checkout's node_modules)
 * and in the working tree, each with that tree's own `scripts/plan.ts`; then lists resources added, removed and
 * changed with their changed inputs. Secrets stay "[secret]".
 *
 *   --dir <project dir>   the checkout to compare (default: this project)
 *   --out <file>          write the Markdown there instead of stdout
 *   --head-label <text>   how the heading names the working tree (default "working tree")
 *   --base-label <text>   how the heading names the base (default: the ref as given, or the short commit)
 *
 * Exit codes: 0 diff printed (changes or not), 1 the working tree does not plan or the ref is unknown, 2 usage.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { PlanDocument } from "../../plan/offlinePlan";
import { PROJECT_ROOT } from "../../plan/stackFiles";
import { diffPlans } from "../../plan/diff/diffPlans";
import { renderDiffMarkdown } from "../../plan/diff/markdown";
import type { CommandIo } from "./command";

const USAGE =
  "usage: npm run plan:diff -- --stack <name> --base <git-ref> [--dir <project dir>] [--out <file>] [--head-label <text>] [--base-label <text>]\n";

class DiffError extends Error {}

function git(dir: string, args: string[]): string {
  const result = spawnSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new DiffError(`git ${args.join(" ")} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

function resolveCommit(dir: string, ref: string): string {
  const result = spawnSync("git", ["-C", dir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new DiffError(`unknown git ref "${ref}" in ${dir} (fetch it first, e.g. git fetch origin ${ref})`);
  return result.stdout.trim();
}

type PlanOutcome = { plan: PlanDocument } | { error: string; unknownStack: boolean };

/** Runs a tree's own offline plan command, with this checkout's node_modules. */
function planIn(projectDir: string, stack: string, nodeModules: string): PlanOutcome {
  // tsx as a loader in this one process (its CLI would start a second node process for the program).
  const tsxLoader = pathToFileURL(join(nodeModules, "tsx", "dist", "loader.mjs")).href;
  const args = ["--import", tsxLoader, "scripts/plan.ts", "--stack", stack, "--format", "json"];
  const result = spawnSync(process.execPath, args, {
    cwd: projectDir,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    timeout: 300_000,
  });
  if (result.status === 0) return { plan: JSON.parse(result.stdout) as PlanDocument };
  const error = (result.stderr || result.error?.message || `exit code ${String(result.status)}`).trim();
  return { error, unknownStack: /unknown stack/.test(error) };
}

/** The project's files at `commit`, in a temporary directory with node_modules linked in. */
function extractBase(projectDir: string, commit: string, nodeModules: string): string {
  const prefix = git(projectDir, ["rev-parse", "--show-prefix"]);
  const dir = mkdtempSync(join(tmpdir(), "stellaops-plan-base-"));
  const archive = join(dir, ".base.tar");
  git(projectDir, ["archive", "--format=tar", "-o", archive, prefix ? `${commit}:${prefix}` : commit]);
  const tar = spawnSync("tar", ["-xf", archive, "-C", dir], { encoding: "utf8" });
  rmSync(archive, { force: true });
  if (tar.status !== 0) throw new DiffError(`could not unpack ${commit}: ${tar.stderr.trim()}`);
  symlinkSync(nodeModules, join(dir, "node_modules"), "dir");
  return dir;
}

function options(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string" },
      base: { type: "string" },
      dir: { type: "string" },
      out: { type: "string" },
      "head-label": { type: "string", default: "working tree" },
      "base-label": { type: "string" },
    },
    allowPositionals: false,
  }).values;
}

export function planDiffCommand(argv: readonly string[], io: CommandIo): number {
  let values: ReturnType<typeof options>;
  try {
    values = options(argv);
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const { stack, base } = values;
  // Both end up as arguments of git and of the plan command: no option-looking or odd values.
  if (!stack || !base || !/^[a-z0-9-]+$/.test(stack) || base.startsWith("-") || /\s/.test(base)) {
    io.stderr(USAGE);
    return 2;
  }
  const projectDir = realpathSync(values.dir ?? PROJECT_ROOT);
  const nodeModules = realpathSync(join(projectDir, "node_modules"));
  try {
    const commit = resolveCommit(projectDir, base);
    const head = planIn(projectDir, stack, nodeModules);
    if (!("plan" in head)) throw new DiffError(`the working tree does not plan stack ${stack}:\n${head.error}`);

    const baseDir = extractBase(projectDir, commit, nodeModules);
    let baseOutcome: PlanOutcome;
    try {
      baseOutcome = existsSync(join(baseDir, "scripts", "plan.ts"))
        ? planIn(baseDir, stack, nodeModules)
        : { error: "it has no offline plan command (scripts/plan.ts)", unknownStack: false };
    } finally {
      rmSync(baseDir, { recursive: true, force: true });
    }
    const short = commit.slice(0, 7);
    // Shown in Markdown code spans: no backtick or newline from a branch name may break out of them.
    const baseName = (values["base-label"] ?? (/^[0-9a-f]{40}$/.test(base) ? short : base)).replace(/[`\r\n]/g, "'");
    const baseNote =
      "plan" in baseOutcome
        ? undefined
        : baseOutcome.unknownStack
          ? `Stack \`${stack}\` does not exist at ${baseName} (${short}): every resource is new.`
          : `The base ${baseName} (${short}) could not be planned, so everything is listed as added: ${baseOutcome.error.split("\n")[0]}`;
    const diff = diffPlans("plan" in baseOutcome ? baseOutcome.plan : undefined, head.plan);
    const markdown = renderDiffMarkdown(diff, {
      base: `Base \`${baseName}\` (${short})`,
      head: values["head-label"] ?? "working tree",
      ...(baseNote ? { baseNote } : {}),
    });
    if (values.out) writeFileSync(values.out, markdown);
    else io.stdout(markdown);
    return 0;
  } catch (err) {
    if (err instanceof DiffError) {
      io.stderr(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
