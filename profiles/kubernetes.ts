import { Buckets, ObjectStoreKubernetesServer } from "../components/objectStore";
import { PostgresKubernetesServer, PostgresLayoutJob } from "../components/postgres";
import { NatsAppUsers } from "../components/nats/appUsers";
import { natsServiceConnections } from "../components/nats/connections";
import { NatsKubernetes } from "../components/nats/kubernetes";
import { ValkeyAppUsers } from "../components/valkey/appUsers";
import { valkeyServiceConnections } from "../components/valkey/connections";
import { ValkeyKubernetes } from "../components/valkey/kubernetes";
import type { InfraConfig } from "./config";
import { cnpgApiServerEgressPolicy } from "./kubernetes/apiServerEgress";
import { denyEgressPolicy } from "./kubernetes/denyEgress";
import { ServiceSecrets } from "./kubernetes/serviceSecrets";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { kubernetesPlatform } from "./platforms";

type KubernetesConfig = Extract<InfraConfig, { profile: "kubernetes" }>;

/** The kubernetes profile: one namespace, the servers from upstream operators/charts, a Secret per service. */
export function deployKubernetes(cfg: KubernetesConfig): StackOutputs {
  const platform = kubernetesPlatform(cfg);
  if (cfg.kubernetes.denyEgress) {
    // CloudNativePG always runs in the namespace on this profile; its pods keep their way to the API server,
    // and the deny applies only once that exception exists.
    const cnpgApiServer = cnpgApiServerEgressPolicy("cnpg-apiserver-egress", platform, {
      apiServer: cfg.kubernetes.apiServer,
      clusterName: cfg.kubernetes.postgres.clusterName,
    });
    denyEgressPolicy("deny-egress", platform, cfg.kubernetes.dns, { dependsOn: [cnpgApiServer] });
  }

  const postgresServer = new PostgresKubernetesServer("postgres", { platform, kubernetes: cfg.kubernetes.postgres });
  const postgres = new PostgresLayoutJob("postgres-layout", {
    server: postgresServer,
    platform,
    settings: cfg.postgres,
    kubernetes: cfg.kubernetes.postgres,
    optionalServices: cfg.services.optional,
  });

  const objectStore = new ObjectStoreKubernetesServer("rustfs", { platform, kubernetes: cfg.kubernetes.objectStore });
  const buckets = new Buckets("buckets", {
    settings: cfg.objectStore,
    target: { kind: "server", server: objectStore },
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
  });

  let nats;
  if (cfg.nats.enabled) {
    const natsUsers = new NatsAppUsers("nats-users", {
      settings: cfg.nats,
      enabledOptionalServices: cfg.services.optional,
    });
    const natsServer = new NatsKubernetes("nats", {
      platform,
      settings: cfg.nats,
      kubernetes: cfg.kubernetes.nats,
      appUsers: natsUsers,
    });
    nats = natsServiceConnections(natsServer, natsUsers);
  }

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
    postgres: postgres.connections,
    objectStore: buckets.connections,
    ...(nats ? { nats } : {}),
    valkey: valkeyServiceConnections(valkey, valkeyUsers),
  });
  new ServiceSecrets("service-secrets", { platform, services });
  return { profile: cfg.profile, environment: cfg.environmentName, services };
}
