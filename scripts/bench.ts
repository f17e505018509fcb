/**
 * `npm run bench`: for each example stack, the median wall time of 5 offline plans (the whole
 * `npm run plan` command, as an operator or CI runs it) and the number of resources planned.
 */
import { spawnSync } from "node:child_process";
import { exampleStacks, PROJECT_ROOT } from "../plan/stackFiles";

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const rows: string[] = [];
for (const stack of exampleStacks()) {
  const times: number[] = [];
  let resources = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync("npm", ["run", "--silent", "plan", "--", "--stack", stack, "--format", "json"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) {
      process.stderr.write(`plan for ${stack} failed:\n${result.stderr}`);
      process.exit(1);
    }
    resources = (JSON.parse(result.stdout) as { resources: unknown[] }).resources.length;
  }
  rows.push(
    `${stack.padEnd(10)} median ${median(times).toFixed(0).padStart(6)} ms over ${RUNS} plans   ${resources} resources`,
  );
}
process.stdout.write(`${rows.join("\n")}\n`);
