/**
 * `npm run --silent plan -- --stack <name> [--format json|markdown|mermaid]`: the offline plan of one example stack.
 * json (default) prints exactly one JSON document on stdout (see plan/offlinePlan.ts for the format); markdown a
 * readable summary, mermaid a diagram of servers and their consumers (plan/formats). On invalid config or
 * an unknown stack, the message on stderr and exit code 1.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../../profiles/configErrors";
import { installMocks } from "../../plan/engine/mocks";
import { StackFileError } from "../../plan/stackFiles";
import type { CommandIo } from "./command";
import { RENDERERS } from "../../plan/formats";

const FORMATS = ["json", ...Object.keys(RENDERERS)] as const;

export async function planCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string" },
      format: { type: "string", default: "json" },
      // Like `pulumi -C`: where Pulumi.yaml and Pulumi.<stack>.yaml live (default: this project).
      dir: { type: "string" },
    },
    allowPositionals: false,
  });
  if (!values.stack) {
    io.stderr(`usage: npm run --silent plan -- --stack <name> [--format ${FORMATS.join("|")}] [--dir <project dir>]\n`);
    return 2;
  }
  if (!(FORMATS as readonly string[]).includes(values.format ?? "")) {
    io.stderr(`--format must be one of: ${FORMATS.join(", ")}\n`);
    return 2;
  }
  installMocks();
  const { planStack } = await import("../../plan/offlinePlan");
  try {
    const plan = await planStack(values.stack, { dir: values.dir });
    const render = RENDERERS[values.format ?? "json"];
    io.stdout(render ? render(plan) : `${JSON.stringify(plan, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StackFileError) {
      io.stderr(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
