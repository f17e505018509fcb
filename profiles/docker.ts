import { Buckets, ObjectStoreDockerServer } from "../components/objectStore";
import { PostgresDatabase, PostgresDockerServer } from "../components/postgres";
import { NatsDockerServer } from "../components/nats";
import { ValkeyDockerServer } from "../components/valkey";
import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { dockerPlatform } from "./platforms";
import { optionalNatsConnections, valkeyConnections } from "./serverConnections";

type DockerConfig = Extract<InfraConfig, { profile: "docker" }>;

/** The docker profile: one host, one network, one container per server, ports on the bind address. */
export function deployDocker(cfg: DockerConfig): StackOutputs {
  const platform = dockerPlatform(cfg);

  const postgresServer = new PostgresDockerServer("postgres", {
    platform,
    settings: cfg.postgres,
    docker: cfg.docker.postgres,
    rotation: cfg.rotation,
  });
  const postgres = new PostgresDatabase("postgres-layout", {
    server: postgresServer,
    settings: cfg.postgres,
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
    rotation: cfg.rotation,
  });

  const objectStore = new ObjectStoreDockerServer("rustfs", {
    platform,
    docker: cfg.docker.objectStore,
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
      new NatsDockerServer("nats", {
        platform,
        settings: cfg.nats,
        docker: cfg.docker.nats,
        appUsers,
        rotation: cfg.rotation,
      }),
  );
  const valkey = valkeyConnections(
    cfg,
    (appUsers) =>
      new ValkeyDockerServer("valkey", {
        platform,
        settings: cfg.valkey,
        docker: cfg.docker.valkey,
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
  return { profile: cfg.profile, environment: cfg.environmentName, services };
}
