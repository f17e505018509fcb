// Entry point of `npm run plan`; the command itself is scripts/commands/plan.ts.
import { planCommand } from "./commands/plan";
import { runCli } from "./commands/command";

runCli("plan", planCommand);
