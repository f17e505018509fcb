/**
 * `npm run bench [-- --stack <name>] [--runs <n>]`: how long a stack's program takes to start, against the floor
 * (node loading `@pulumi/pulumi` alone), as medians over n rounds (default 5; floor, language host and plan run in
 * turn each round, so a busy machine slows all of them alike):
 * - the language-host start: the program run by Pulumi's own entry point (@pulumi/pulumi/cmd/run) with the command
 *   line and environment of `pulumi preview` and Pulumi.yaml's runtime options, against a fake engine
 *   (test/languageHost/), to its first resource and to its end;
 * - the offline plan: the whole `npm run plan` command, as an operator or CI runs it.
 * Wall time is what the goals are about; CPU time (Linux) is shown beside it, steadier on a shared machine.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { childCpuMs } from "./childCpu";

const PROJECT_ROOT = join(__dirname, "..");
/** Both starts should cost at most this many floors. */
const GOAL = 1.5;

interface Sample {
  wallMs: number;
  cpuMs: number | undefined;
}

function option(argv: readonly string[], name: string, fallback: string): string {
  const at = argv.indexOf(name);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
}

function run(command: string, args: string[]): { sample: Sample; stdout: string } {
  const cpuBefore = childCpuMs();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuAfter = childCpuMs();
  if (result.status !== 0) {
    process.stderr.write(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
    process.exit(1);
  }
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { sample: { wallMs, cpuMs }, stdout: result.stdout };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function runtimeOptionsLine(): string {
  const text = readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8");
  const options = /^ {4}(typescript|nodeargs|tsconfig): .*$/gm;
  return [...text.matchAll(options)].map((m) => m[0].trim()).join(", ") || "(none)";
}

const argv = process.argv.slice(2);
const stack = option(argv, "--stack", "dev");
const runs = Number(option(argv, "--runs", "5"));
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");

const floor: Sample[] = [];
const firstResource: Sample[] = [];
const programEnd: Sample[] = [];
const plan: Sample[] = [];
let resources = 0;
for (let i = 0; i < runs; i++) {
  floor.push(run(process.execPath, ["-e", 'require("@pulumi/pulumi")']).sample);

  const host = run(process.execPath, ["--require", "tsx/cjs", "test/languageHost/measure.ts", "--stack", stack]);
  const measured = JSON.parse(host.stdout) as { firstResourceMs: number; exitMs: number; cpuMs?: number };
  // Timed inside the measuring process, from starting node to the engine's first resource / to node's exit.
  firstResource.push({ wallMs: measured.firstResourceMs, cpuMs: undefined });
  programEnd.push({ wallMs: measured.exitMs, cpuMs: measured.cpuMs });

  const planned = run("npm", ["run", "--silent", "plan", "--", "--stack", stack, "--format", "json"]);
  plan.push(planned.sample);
  resources = (JSON.parse(planned.stdout) as { resources: unknown[] }).resources.length;
}

const floorWall = median(floor.map((s) => s.wallMs));
const cpus = (samples: Sample[]) => samples.map((s) => s.cpuMs).filter((c): c is number => c !== undefined);
const floorCpu = median(cpus(floor));

function row(label: string, samples: Sample[], goal: boolean): string {
  const wall = median(samples.map((s) => s.wallMs));
  const ratio = wall / floorWall;
  const cpuValues = cpus(samples);
  const cpu = cpuValues.length > 0 ? median(cpuValues) : undefined;
  const cpuText =
    cpu === undefined
      ? "".padEnd(24)
      : `cpu ${cpu.toFixed(0).padStart(6)} ms ${(cpu / floorCpu).toFixed(2)}×`.padEnd(24);
  const verdict = goal ? `goal ≤ ${GOAL}×: ${ratio <= GOAL ? "met" : "NOT met"}` : "";
  return `${label.padEnd(44)} ${wall.toFixed(0).padStart(6)} ms ${ratio.toFixed(2).padStart(5)}×   ${cpuText} ${verdict}`.trimEnd();
}

process.stdout.write(
  [
    `stack ${stack}, median of ${runs} rounds; ratios to the floor; Pulumi.yaml runtime options: ${runtimeOptionsLine()}`,
    row("floor: node loading @pulumi/pulumi", floor, false),
    row("language host: start to first resource", firstResource, true),
    row("language host: start to program end", programEnd, false),
    row(`offline plan: npm run plan (${resources} resources)`, plan, true),
  ].join("\n") + "\n",
);
