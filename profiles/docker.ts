import { Buckets, ObjectStoreDockerServer } from "../components/objectStore";
import { PostgresDatabase, PostgresDockerServer } from "../components/postgres";
import { NatsAppUsers } from "../components/nats/appUsers";
import { natsServiceConnections } from "../components/nats/connections";
import { NatsDocker } from "../components/nats/docker";
import { ValkeyAppUsers } from "../components/valkey/appUsers";
import { valkeyServiceConnections } from "../components/valkey/connections";
import { ValkeyDocker } from "../components/valkey/docker";
import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { dockerPlatform } from "./platforms";

type DockerConfig = Extract<InfraConfig, { profile: "docker" }>;

/** The docker profile: one host, one network, one container per server, ports on the bind address. */
export function deployDocker(cfg: DockerConfig): StackOutputs {
  const platform = dockerPlatform(cfg);

  const postgresServer = new PostgresDockerServer("postgres", {
    platform,
    settings: cfg.postgres,
    docker: cfg.docker.postgres,
  });
  const postgres = new PostgresDatabase("postgres-layout", {
    server: postgresServer,
    settings: cfg.postgres,
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
  });

  const objectStore = new ObjectStoreDockerServer("rustfs", { platform, docker: cfg.docker.objectStore });
  const buckets = new Buckets("buckets", {
    settings: cfg.objectStore,
    target: { kind: "server", server: objectStore },
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
  });

  // NATS is optional: nothing of it exists unless the stack enables it.
  let nats;
  if (cfg.nats.enabled) {
    const natsUsers = new NatsAppUsers("nats-users", {
      settings: cfg.nats,
      enabledOptionalServices: cfg.services.optional,
    });
    const natsServer = new NatsDocker("nats", {
      platform,
      settings: cfg.nats,
      docker: cfg.docker.nats,
      appUsers: natsUsers,
    });
    nats = natsServiceConnections(natsServer, natsUsers);
  }

  const valkeyUsers = new ValkeyAppUsers("valkey-app-users", {
    settings: cfg.valkey,
    enabledOptionalServices: cfg.services.optional,
  });
  const valkey = new ValkeyDocker("valkey", {
    platform,
    settings: cfg.valkey,
    docker: cfg.docker.valkey,
    appUsers: valkeyUsers,
  });

  const services = mergeServiceConnections({
    postgres: postgres.connections,
    objectStore: buckets.connections,
    ...(nats ? { nats } : {}),
    valkey: valkeyServiceConnections(valkey, valkeyUsers),
  });
  return { profile: cfg.profile, environment: cfg.environmentName, services };
}
