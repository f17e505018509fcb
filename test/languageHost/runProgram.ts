import { spawn } from "node:child_process";
import {
  languageHostCommand,
  locateRunScript,
  readRuntimeOptions,
  type RunRequest,
  type RuntimeOptions,
} from "./command";
import { ROOT_STACK_TYPE, startFakeEngine, type LogEntry, type Registration } from "./fakeEngine";

/**
 * Runs a stack's program the way `pulumi preview` does: the SDK's own entry point (@pulumi/pulumi/cmd/run), started
 * with the language host's command line and environment, against the fake engine.
 */

export interface ProgramRunRequest {
  project: string;
  stack: string;
  rootDirectory: string;
  config: Record<string, string>;
  configSecretKeys: string[];
  /** Default: the runtime options of rootDirectory/Pulumi.yaml. */
  options?: RuntimeOptions;
  /** Default: a preview (true). */
  dryRun?: boolean;
  /** Environment of the CLI the language host inherits (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface ProgramRun {
  exitCode: number | null;
  stderr: string;
  stdout: string;
  registrations: readonly Registration[];
  logs: readonly LogEntry[];
  invokes: readonly string[];
  rootUrn: string;
  shutdownSignalled: boolean;
  /** Milliseconds from starting node to its first RegisterResource (undefined if none). */
  firstRegistrationMs: number | undefined;
  /** Milliseconds from starting node to its exit. */
  exitMs: number;
}

export async function runProgram(request: ProgramRunRequest): Promise<ProgramRun> {
  const engine = await startFakeEngine(request.project, request.stack);
  try {
    const req: RunRequest = {
      project: request.project,
      stack: request.stack,
      rootDirectory: request.rootDirectory,
      programDirectory: request.rootDirectory,
      entryPoint: ".",
      dryRun: request.dryRun ?? true,
      config: request.config,
      configSecretKeys: request.configSecretKeys,
      monitorAddress: engine.monitorAddress,
      engineAddress: engine.engineAddress,
      options: request.options ?? readRuntimeOptions(request.rootDirectory),
    };
    const { args, env } = languageHostCommand(req, locateRunScript(req.programDirectory));
    // Timed from the fake engine's clock, so the first registration and the exit share one origin.
    const startedAt = engine.elapsedMs();
    const child = spawn(process.execPath, args, {
      cwd: request.rootDirectory,
      env: { ...(request.env ?? process.env), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve(code));
    });
    const exitMs = engine.elapsedMs() - startedAt;
    const first = engine.registrations.find((r) => r.type !== ROOT_STACK_TYPE);
    return {
      exitCode,
      stdout,
      stderr,
      registrations: [...engine.registrations],
      logs: [...engine.logs],
      invokes: [...engine.invokes],
      rootUrn: engine.rootUrn,
      shutdownSignalled: engine.shutdownSignalled,
      firstRegistrationMs: first === undefined ? undefined : first.at - startedAt,
      exitMs,
    };
  } finally {
    await engine.close();
  }
}
