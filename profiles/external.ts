import { natsExternalConnections } from "../components/nats";
import { Buckets, ObjectStoreExternalServer } from "../components/objectStore";
import { PostgresDatabase, postgresExternalServer } from "../components/postgres";
import * as pulumi from "@pulumi/pulumi";
import { ValkeyAppUsers, ValkeyExternalServer, valkeyServiceConnections } from "../components/valkey";
import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { externalPlatform } from "./platforms";

type ExternalConfig = Extract<InfraConfig, { profile: "external" }>;

export interface ExternalStackOutputs extends StackOutputs {
  /** ACL lines (password hashes only) the operator loads into the existing Valkey when this program generates app users. */
  valkeyAclLines?: pulumi.Output<string>;
}

/** The external profile: servers that already exist; only the logical layout and the outputs. */
export function deployExternal(cfg: ExternalConfig): ExternalStackOutputs {
  const platform = externalPlatform(cfg);

  const postgres = new PostgresDatabase("postgres-layout", {
    server: postgresExternalServer(cfg.external.postgres),
    settings: cfg.postgres,
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
    rotation: cfg.rotation,
  });

  const objectStore = new ObjectStoreExternalServer("s3", { external: cfg.external.objectStore });
  const buckets = new Buckets("buckets", {
    settings: cfg.objectStore,
    target: { kind: "server", server: objectStore },
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
  });

  const nats =
    cfg.nats.enabled && cfg.external.nats
      ? natsExternalConnections(cfg.external.nats, cfg.services.optional)
      : undefined;

  const valkeyUsers = new ValkeyAppUsers("valkey-app-users", {
    settings: cfg.valkey,
    enabledOptionalServices: cfg.services.optional,
    operatorManagedPassword: cfg.external.valkey.appPassword,
    rotation: cfg.rotation,
  });
  const valkey = new ValkeyExternalServer("valkey", { external: cfg.external.valkey, appUsers: valkeyUsers });

  const services = mergeServiceConnections({
    postgres: postgres.connections,
    objectStore: buckets.connections,
    ...(nats ? { nats } : {}),
    valkey: valkeyServiceConnections(valkey, valkeyUsers),
  });
  return {
    profile: cfg.profile,
    environment: cfg.environmentName,
    services,
    valkeyAclLines: valkey.appAclLines ? pulumi.secret(valkey.appAclLines) : undefined,
  };
}
