import { ValkeyAppUsers } from "../components/valkey/appUsers";
import { valkeyServiceConnections } from "../components/valkey/connections";
import { ValkeyKubernetes } from "../components/valkey/kubernetes";
import type { InfraConfig } from "./config";
import { denyEgressPolicy } from "./kubernetes/denyEgress";
import { ServiceSecrets } from "./kubernetes/serviceSecrets";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { kubernetesPlatform } from "./platforms";

type KubernetesConfig = Extract<InfraConfig, { profile: "kubernetes" }>;

/** The kubernetes profile: one namespace, the servers from upstream operators/charts, a Secret per service. */
export function deployKubernetes(cfg: KubernetesConfig): StackOutputs {
  const platform = kubernetesPlatform(cfg);
  if (cfg.kubernetes.denyEgress) denyEgressPolicy("deny-egress", platform);

  const valkeyUsers = new ValkeyAppUsers("valkey-app-users", {
    settings: cfg.valkey,
    enabledOptionalServices: cfg.services.optional,
  });
  const valkey = new ValkeyKubernetes("valkey", {
    platform,
    settings: cfg.valkey,
    kubernetes: cfg.kubernetes.valkey,
    appUsers: valkeyUsers,
  });

  const services = mergeServiceConnections({
    valkey: valkeyServiceConnections(valkey, valkeyUsers),
  });
  new ServiceSecrets("service-secrets", { platform, services });
  return { profile: cfg.profile, environment: cfg.environmentName, services };
}
