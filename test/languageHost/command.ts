import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * The command line and environment with which Pulumi's Node.js language host starts a program, as
 * pulumi/pulumi @ v3.248.0 (a88168d8) sdk/nodejs/cmd/pulumi-language-nodejs/main.go does it:
 * - `parseOptions`: runtime options `typescript` (default true), `tsconfig`, `nodeargs` from Pulumi.yaml;
 * - `execRuntime`: `node <nodeargs split like a shell> <runPath> <arguments>`, with the CLI's environment plus
 *   PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT=true (when `typescript`) and
 *   PULUMI_NODEJS_TSCONFIG_PATH (when `tsconfig`);
 * - `locateModule`: runPath is `require.resolve("@pulumi/pulumi/cmd/run")` from the program directory;
 * - `constructArguments`: --monitor, --engine, --sync, --organization, --project, --root-directory, --stack, --pwd,
 *   --dry-run, --parallel, --tracing (each only when non-empty), then the entry point and the program's arguments;
 * - `constructConfig`: config keys `<namespace>:<name>` become `<namespace>:config:<name>`; secret keys stay as given.
 * `--sync` (a directory of pipes for synchronous invokes) and `--tracing` are left out: the SDK uses them only for
 * features this program does not use.
 */

export interface RuntimeOptions {
  typescript: boolean;
  tsconfig?: string;
  nodeargs: string;
}

export interface RunRequest {
  project: string;
  stack: string;
  /** The DIY (file://, s3://) backends name every stack's organization "organization". */
  organization?: string;
  /** Directory holding Pulumi.yaml. */
  rootDirectory: string;
  /** Directory of the program (`main` in Pulumi.yaml, else the root directory). */
  programDirectory: string;
  /** `main` in Pulumi.yaml if it names a file, else "." (the language host then reads package.json). */
  entryPoint: string;
  dryRun: boolean;
  /** The CLI's default on Linux and macOS is unlimited (math.MaxInt32). */
  parallel?: number;
  /** Keys `<namespace>:<name>`, values as the CLI passes them (structured values as JSON). */
  config: Record<string, string>;
  configSecretKeys: string[];
  monitorAddress: string;
  engineAddress: string;
  options: RuntimeOptions;
}

export interface ProgramCommand {
  args: string[];
  env: Record<string, string>;
}

/** Runtime options of a project file; a wrong type is refused as the language host refuses it. */
export function readRuntimeOptions(rootDirectory: string): RuntimeOptions {
  const project = parse(readFileSync(join(rootDirectory, "Pulumi.yaml"), "utf8")) as { runtime?: unknown };
  const runtime = project.runtime;
  const options =
    runtime !== null && typeof runtime === "object"
      ? ((runtime as { options?: Record<string, unknown> }).options ?? {})
      : {};
  const { typescript = true, tsconfig, nodeargs = "" } = options;
  if (typeof typescript !== "boolean") throw new Error("typescript option must be a boolean");
  if (tsconfig !== undefined && typeof tsconfig !== "string") throw new Error("tsconfigpath option must be a string");
  if (typeof nodeargs !== "string") throw new Error("nodeargs option must be a string");
  return { typescript, tsconfig, nodeargs };
}

/**
 * Splits `nodeargs` on whitespace, as google/shlex does for unquoted words. Quotes and escapes are refused rather
 * than half-understood: a test must not pass for a command line the real language host would split differently.
 */
export function splitNodeArgs(nodeargs: string): string[] {
  if (/["'\\]/.test(nodeargs)) throw new Error(`nodeargs with quotes or escapes are not modelled: ${nodeargs}`);
  return nodeargs.split(/\s+/).filter((word) => word !== "");
}

export function languageHostCommand(req: RunRequest, runPath: string): ProgramCommand {
  const args = [...splitNodeArgs(req.options.nodeargs), runPath];
  const append = (flag: string, value: string | undefined) => {
    if (value) args.push(`--${flag}`, value);
  };
  append("monitor", req.monitorAddress);
  append("engine", req.engineAddress);
  append("organization", req.organization ?? "organization");
  append("project", req.project);
  append("root-directory", req.rootDirectory);
  append("stack", req.stack);
  append("pwd", req.programDirectory);
  if (req.dryRun) args.push("--dry-run");
  append("parallel", String(req.parallel ?? 2147483647));
  args.push(req.entryPoint);

  const config = Object.fromEntries(
    Object.entries(req.config).map(([key, value]) => {
      const at = key.indexOf(":");
      return [`${key.slice(0, at)}:config:${key.slice(at + 1)}`, value];
    }),
  );
  const env: Record<string, string> = {
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.configSecretKeys),
  };
  if (req.options.typescript) env["PULUMI_NODEJS_TYPESCRIPT"] = "true";
  if (req.options.tsconfig) env["PULUMI_NODEJS_TSCONFIG_PATH"] = req.options.tsconfig;
  return { args, env };
}

/** Where the language host finds the SDK's start script: resolved from the program directory, like `locateModule`. */
export function locateRunScript(programDirectory: string): string {
  return createRequire(join(programDirectory, "package.json")).resolve("@pulumi/pulumi/cmd/run");
}
