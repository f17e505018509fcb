import { ValkeyAppUsers } from "../components/valkey/appUsers";
import { ValkeyElastiCache } from "../components/valkey/aws";
import { valkeyServiceConnections } from "../components/valkey/connections";
import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { awsPlatform } from "./platforms";

type AwsConfig = Extract<InfraConfig, { profile: "aws" }>;

/** The aws profile: managed services in the given network (RDS, ElastiCache, S3). */
export function deployAws(cfg: AwsConfig): StackOutputs {
  const platform = awsPlatform(cfg);

  const valkeyUsers = new ValkeyAppUsers("valkey-app-users", {
    settings: cfg.valkey,
    enabledOptionalServices: cfg.services.optional,
  });
  const valkey = new ValkeyElastiCache("valkey", {
    platform,
    settings: cfg.valkey,
    aws: cfg.aws.valkey,
    appUsers: valkeyUsers,
  });

  const services = mergeServiceConnections({
    valkey: valkeyServiceConnections(valkey, valkeyUsers),
  });
  return { profile: cfg.profile, environment: cfg.environmentName, services };
}
