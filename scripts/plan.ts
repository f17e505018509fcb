// Entry point of `npm run plan`; the command itself is scripts/commands/plan.ts.
import { planCommand } from "./commands/plan";
import { runCli } from "./exitWhenFlushed";

runCli("plan", planCommand);
