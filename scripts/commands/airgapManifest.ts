/**
 * `npm run --silent airgap:manifest -- --stack <name> [--format json|table] [--dir <dir>] [--platform <os-arch>]
 *   [--plan <plan.json>] [--kit <kit dir>]`
 *
 * Everything the stack needs on a sealed site: container images (with digests) and Helm charts from its offline
 * plan, the provider plugins the installed SDKs require, the pinned Pulumi CLI and the npm lockfile. Exits 1
 * naming each unpinned item (and its config key) when the stack cannot run offline as configured.
 * `--kit <dir>` seals a kit built on the connected machine: it checks every file is there and writes
 * `<dir>/manifest.json` with their sha256, which scripts/airgap-install.sh verifies on the sealed machine.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_NAMESPACE, ConfigError } from "../../profiles/configErrors";
import type { PlanDocument } from "../../plan/offlinePlan";
import { installMocks } from "../../plan/engine/mocks";
import { PROJECT_ROOT, readStackConfig, StackFileError, UnknownStackError } from "../../plan/stackFiles";
import { sealKit } from "../airgap/kit";
import { buildManifest, formatProblems } from "../airgap/manifest";
import { PLATFORMS, readInstalledSdks, type Platform } from "../airgap/plugins";
import { renderTable } from "../airgap/table";
import { readCliPin, readNpmLockfile } from "../airgap/toolchain";
import type { CommandIo } from "./command";

const FORMATS = ["json", "table"] as const;
const USAGE =
  "usage: npm run --silent airgap:manifest -- --stack <name> [--format json|table] [--dir <project dir>] " +
  `[--platform ${PLATFORMS.join("|")}] [--plan <plan.json>] [--kit <kit dir>]\n`;

class UsageError extends Error {}

async function planFor(stack: string, dir: string | undefined, planFile: string | undefined): Promise<PlanDocument> {
  if (planFile !== undefined) return JSON.parse(readFileSync(planFile, "utf8")) as PlanDocument;
  installMocks();
  const { planStack } = await import("../../plan/offlinePlan");
  return planStack(stack, { dir });
}

function stackConfig(stack: string, dir: string | undefined, fromPlanFile: boolean): Record<string, string> {
  try {
    return readStackConfig(stack, dir).config;
  } catch (err) {
    // A saved plan can outlive its stack file; config keys are then simply not named.
    if (fromPlanFile && err instanceof UnknownStackError) return {};
    throw err;
  }
}

function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        format: { type: "string", default: "json" },
        dir: { type: "string" },
        platform: { type: "string", default: "linux-amd64" },
        plan: { type: "string" },
        kit: { type: "string" },
        help: { type: "boolean", default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function manifestCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const values = parseOptions(argv);
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (!values.stack) throw new UsageError("--stack is required");
  if (!(FORMATS as readonly string[]).includes(values.format ?? "")) {
    throw new UsageError(`--format must be one of: ${FORMATS.join(", ")}`);
  }
  if (!(PLATFORMS as readonly string[]).includes(values.platform ?? "")) {
    throw new UsageError(`--platform must be one of: ${PLATFORMS.join(", ")}`);
  }
  const platform = values.platform as Platform;
  const stack = values.stack;

  const plan = await planFor(stack, values.dir, values.plan);
  const { sdks, problems: sdkProblems } = readInstalledSdks(PROJECT_ROOT);
  const { cli, problems: cliProblems } = readCliPin(PROJECT_ROOT, platform);
  const { manifest, problems } = buildManifest({
    plan,
    config: stackConfig(stack, values.dir, values.plan !== undefined),
    namespace: CONFIG_NAMESPACE,
    sdks,
    sdkProblems,
    cli,
    cliProblems,
    npm: readNpmLockfile(PROJECT_ROOT),
    platform,
    programRoot: PROJECT_ROOT,
  });
  if (problems.length > 0 || manifest === undefined) {
    io.stderr(`${formatProblems(stack, problems)}\n`);
    return 1;
  }

  let result = manifest;
  if (values.kit !== undefined) {
    const kitDir = resolve(values.kit);
    const { sealed, missing } = sealKit(manifest, kitDir);
    if (missing.length > 0) {
      const lines = missing.map((m) => `  - ${m.file}: ${m.what}; get it with: ${m.how}`);
      io.stderr(
        [`The kit in ${kitDir} is incomplete (${missing.length} missing):`, ...lines, "Add them and run again."].join(
          "\n",
        ) + "\n",
      );
      return 1;
    }
    writeFileSync(join(kitDir, "manifest.json"), `${JSON.stringify(sealed, null, 2)}\n`);
    io.stderr(`sealed: wrote ${join(kitDir, "manifest.json")}\n`);
    result = sealed;
  }
  io.stdout(values.format === "table" ? renderTable(result) : `${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

/** Mistakes the operator made get their message and exit code; anything else is unexpected (runCli). */
export async function airgapManifestCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    return await manifestCommand(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof StackFileError) {
      io.stderr(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
