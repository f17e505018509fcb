import { Buckets, ObjectStoreKubernetesServer } from "../components/objectStore";
import { PostgresKubernetesServer, PostgresLayoutJob } from "../components/postgres";
import { NatsKubernetesServer } from "../components/nats";
import { ValkeyKubernetesServer } from "../components/valkey";
import type { InfraConfig } from "./config";
import { cnpgApiServerEgressPolicy } from "./kubernetes/apiServerEgress";
import { denyEgressPolicy } from "./kubernetes/denyEgress";
import { ServiceSecrets } from "./kubernetes/serviceSecrets";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { kubernetesPlatform } from "./platforms";
import { optionalNatsConnections, valkeyConnections } from "./serverConnections";

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

  const postgresServer = new PostgresKubernetesServer("postgres", {
    platform,
    settings: cfg.postgres,
    kubernetes: cfg.kubernetes.postgres,
    rotation: cfg.rotation,
  });
  const postgres = new PostgresLayoutJob("postgres-layout", {
    server: postgresServer,
    platform,
    settings: cfg.postgres,
    kubernetes: cfg.kubernetes.postgres,
    optionalServices: cfg.services.optional,
    rotation: cfg.rotation,
  });

  const objectStore = new ObjectStoreKubernetesServer("rustfs", {
    platform,
    kubernetes: cfg.kubernetes.objectStore,
    rotation: cfg.rotation,
  });
  const buckets = new Buckets("buckets", {
    settings: cfg.objectStore,
    target: { kind: "server", server: objectStore },
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
  });

  const nats = optionalNatsConnections(
    cfg,
    (appUsers) =>
      new NatsKubernetesServer("nats", {
        platform,
        settings: cfg.nats,
        kubernetes: cfg.kubernetes.nats,
        appUsers,
        rotation: cfg.rotation,
      }),
  );
  const valkey = valkeyConnections(
    cfg,
    (appUsers) =>
      new ValkeyKubernetesServer("valkey", {
        platform,
        settings: cfg.valkey,
        kubernetes: cfg.kubernetes.valkey,
        appUsers,
        rotation: cfg.rotation,
      }),
  );

  const services = mergeServiceConnections({
    postgres: postgres.connections,
    objectStore: buckets.connections,
    ...(nats ? { nats } : {}),
    valkey,
  });
  new ServiceSecrets("service-secrets", { platform, services });
  return { profile: cfg.profile, environment: cfg.environmentName, services };
}
