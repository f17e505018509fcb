import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand, type Command } from "../../scripts/commands/command";
import { PROJECT_ROOT } from "../../plan/stackFiles";

/** Runs a project script the way an operator does: `npm run --silent <script> -- …`, in the project. */
export function npmRun(script: string, args: readonly string[]) {
  const result = spawnSync("npm", ["run", "--silent", script, "--", ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A throwaway project directory (under `parent`) holding Pulumi.yaml and one stack file, for `--dir`. */
export function projectWithStack(parent: string, stack: string, yaml: string): string {
  const dir = mkdtempSync(join(parent, "p-"));
  copyFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), yaml);
  return dir;
}

/**
 * Runs a command function in this process, as `runCli` would run it as a process: same arguments, captured output,
 * the exit code it would exit with. For tests about what a command does; `npmRun` stays for the end-to-end runs.
 */
export async function runInProcess(name: string, command: Command, args: readonly string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCommand(name, command, args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { status, stdout, stderr };
}
