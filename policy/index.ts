import { PolicyPack } from "@pulumi/policy";
import { toCrossGuardPolicy } from "./crossguard";
import { RULES } from "./rules";

/**
 * The stellaops-infra CrossGuard policy pack. Run it with the stack's generated config:
 *   npm run --silent policy -- --stack <name> --crossguard-config policy-config.json
 *   pulumi preview --diff --policy-pack policy --policy-pack-config policy-config.json
 * Constructing the PolicyPack starts the policy server: nothing else may import this file (tests import the rules).
 */
new PolicyPack("stellaops-infra", {
  description: "What an auditor of the StellaOps infrastructure checks before anything is applied (docs/review.md).",
  policies: RULES.map(toCrossGuardPolicy),
});
