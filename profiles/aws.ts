import { Buckets } from "../components/objectStore";
import { PostgresAwsServer, PostgresDatabase } from "../components/postgres";
import { ValkeyElastiCache } from "../components/valkey";
import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { awsPlatform } from "./platforms";
import { valkeyConnections } from "./serverConnections";

type AwsConfig = Extract<InfraConfig, { profile: "aws" }>;

/** The aws profile: managed services in the given network (RDS, ElastiCache, S3). */
export function deployAws(cfg: AwsConfig): StackOutputs {
  const platform = awsPlatform(cfg);

  const postgresServer = new PostgresAwsServer("postgres", {
    platform,
    settings: cfg.postgres,
    aws: cfg.aws.postgres,
    rotation: cfg.rotation,
  });
  const postgres = new PostgresDatabase("postgres-layout", {
    server: postgresServer,
    settings: cfg.postgres,
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
    rotation: cfg.rotation,
  });

  const buckets = new Buckets("buckets", {
    settings: cfg.objectStore,
    target: { kind: "aws", platform, region: cfg.aws.region, aws: cfg.aws.objectStore },
    optionalServices: cfg.services.optional,
    stateful: platform.stateful,
  });

  const valkey = valkeyConnections(
    cfg,
    (appUsers) =>
      new ValkeyElastiCache("valkey", {
        platform,
        settings: cfg.valkey,
        aws: cfg.aws.valkey,
        appUsers,
        rotation: cfg.rotation,
      }),
  );

  const services = mergeServiceConnections({
    postgres: postgres.connections,
    objectStore: buckets.connections,
    valkey,
  });
  return { profile: cfg.profile, environment: cfg.environmentName, services };
}
