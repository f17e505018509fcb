import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { awsPlatform } from "./platforms";

type AwsConfig = Extract<InfraConfig, { profile: "aws" }>;

/** The aws profile: composes the servers and layouts for this platform. */
export function deployAws(cfg: AwsConfig): StackOutputs {
  awsPlatform(cfg);
  return { profile: cfg.profile, environment: cfg.environmentName, services: mergeServiceConnections({}) };
}
