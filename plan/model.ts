import { AWS_RULES } from "./replacements/aws";
import { COMMAND_RULES } from "./replacements/command";
import { DOCKER_RULES } from "./replacements/docker";
import { KUBERNETES_RULES, kubernetesObjectRule } from "./replacements/kubernetes";
import { POSTGRESQL_RULES } from "./replacements/postgresql";
import { PROVIDER_RULES } from "./replacements/providers";
import { RANDOM_RULES } from "./replacements/random";
import type { ReplacementRule } from "./types";

/** The replacement model: one rule per resource type this program creates, each citing its upstream source. */

const RULES: ReadonlyMap<string, ReplacementRule> = new Map(
  [
    ...AWS_RULES,
    ...COMMAND_RULES,
    ...DOCKER_RULES,
    ...KUBERNETES_RULES,
    ...POSTGRESQL_RULES,
    ...PROVIDER_RULES,
    ...RANDOM_RULES,
  ].map((rule) => [rule.type, rule]),
);

/** The rule for a resource type, or undefined: the type is not modelled, and predictions say "unknown". */
export function replacementRule(type: string): ReplacementRule | undefined {
  return RULES.get(type) ?? kubernetesObjectRule(type);
}

/** Every explicitly listed rule (Kubernetes object kinds outside the provider's table come from the fallback). */
export function listedRules(): ReplacementRule[] {
  return [...RULES.values()];
}
