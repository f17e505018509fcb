/**
 * One start of a stack's program through Pulumi's language-host entry point against the fake engine, printed as one
 * JSON line for `npm run bench`: `node --require tsx/cjs test/languageHost/measure.ts --stack dev`.
 * (A separate process, so the bench, a script, imports nothing from test/.)
 */
import { PROJECT_ROOT, readStackConfig } from "../../plan/stackFiles";
import { childCpuMs } from "../../scripts/childCpu";
import { runProgram } from "./runProgram";

async function main(argv: readonly string[]): Promise<number> {
  const at = argv.indexOf("--stack");
  const stack = at >= 0 ? argv[at + 1] : "dev";
  if (!stack) throw new Error("usage: measure.ts --stack <name>");
  const { project, config, secretKeys } = readStackConfig(stack);
  const cpuBefore = childCpuMs();
  const run = await runProgram({ project, stack, rootDirectory: PROJECT_ROOT, config, configSecretKeys: secretKeys });
  const cpuAfter = childCpuMs();
  const line = {
    stack,
    exitCode: run.exitCode,
    firstResourceMs: run.firstRegistrationMs,
    exitMs: run.exitMs,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    registrations: run.registrations.length,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (run.exitCode !== 0) process.stderr.write(run.stderr);
  return run.exitCode === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`measure failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
