import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { kubernetesPlatform } from "./platforms";

type KubernetesConfig = Extract<InfraConfig, { profile: "kubernetes" }>;

/** The kubernetes profile: composes the servers and layouts for this platform. */
export function deployKubernetes(cfg: KubernetesConfig): StackOutputs {
  kubernetesPlatform(cfg);
  return { profile: cfg.profile, environment: cfg.environmentName, services: mergeServiceConnections({}) };
}
