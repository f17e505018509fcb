// Entry point of `npm run policy`; the command itself is scripts/commands/policy.ts.
import { policyCommand } from "./commands/policy";
import { runCli } from "./exitWhenFlushed";

runCli("policy", policyCommand);
