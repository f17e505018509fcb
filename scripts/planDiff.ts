// Entry point of `npm run plan:diff`; the command itself is scripts/commands/planDiff.ts.
import { planDiffCommand } from "./commands/planDiff";
import { runCli } from "./commands/command";

runCli("plan:diff", planDiffCommand);
