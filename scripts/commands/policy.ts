/**
 * `npm run policy -- --stack <name>`: the policy pack's rules over the offline plan of one stack, without the
 * Pulumi engine. Prints every violation with its enforcement level and fix; exits 1 when any is mandatory.
 *
 *   --plan <file>               judge a saved plan (`npm run --silent plan -- --stack <name> > file`) instead
 *   --format text|json          report format (default text)
 *   --crossguard-config <file>  only write the stack's CrossGuard policy config (for `pulumi preview
 *                               --policy-pack policy --policy-pack-config <file>`) and exit
 *   --dir <project dir>         where Pulumi.yaml and the stack files live (default: this project)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { contextFromConfig } from "../../policy/context";
import { crossGuardConfig } from "../../policy/crossguard";
import { auditResourcesFromPlan, evaluate, formatFindings, hasMandatory, type PlanLike } from "../../policy/evaluate";
import { RULES } from "../../policy/rules";
import { ConfigError } from "../../profiles/configErrors";
import { installMocks } from "../../plan/engine/mocks";
import { readStackConfig, StackFileError } from "../../plan/stackFiles";
import type { CommandIo } from "./command";

const USAGE =
  "usage: npm run policy -- --stack <name> [--plan <plan.json>] [--format text|json] [--crossguard-config <file>] [--dir <project dir>]\n";

async function loadPlan(stack: string, planFile: string | undefined, dir: string | undefined): Promise<PlanLike> {
  if (planFile) return JSON.parse(readFileSync(planFile, "utf8")) as PlanLike;
  installMocks();
  const { planStack } = await import("../../plan/offlinePlan");
  return planStack(stack, { dir });
}

export async function policyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string" },
      plan: { type: "string" },
      format: { type: "string", default: "text" },
      "crossguard-config": { type: "string" },
      dir: { type: "string" },
    },
    allowPositionals: false,
  });
  if (!values.stack || !["text", "json"].includes(values.format ?? "")) {
    io.stderr(USAGE);
    return 2;
  }
  try {
    const { project, config } = readStackConfig(values.stack, values.dir);
    const ctx = contextFromConfig(values.stack, config, project);
    const configFile = values["crossguard-config"];
    if (configFile) {
      writeFileSync(configFile, `${JSON.stringify(crossGuardConfig(RULES, ctx), null, 2)}\n`);
      io.stderr(`wrote CrossGuard policy config for ${values.stack} to ${configFile}\n`);
      return 0;
    }
    const plan = await loadPlan(values.stack, values.plan, values.dir);
    const findings = evaluate(RULES, auditResourcesFromPlan(plan), ctx);
    if (values.format === "json") {
      const report = { stack: values.stack, context: ctx, mandatory: hasMandatory(findings), findings };
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout(formatFindings(values.stack, findings, RULES.filter((r) => r.level(ctx) !== "disabled").length));
    }
    return hasMandatory(findings) ? 1 : 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StackFileError) {
      io.stderr(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
