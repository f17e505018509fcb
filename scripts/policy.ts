// Entry point of `npm run policy`; the command itself is scripts/commands/policy.ts.
import { policyCommand } from "./commands/policy";
import { runCli } from "./commands/command";

runCli("policy", policyCommand);
