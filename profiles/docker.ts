import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { dockerPlatform } from "./platforms";

type DockerConfig = Extract<InfraConfig, { profile: "docker" }>;

/** The docker profile: composes the servers and layouts for this platform. */
export function deployDocker(cfg: DockerConfig): StackOutputs {
  dockerPlatform(cfg);
  return { profile: cfg.profile, environment: cfg.environmentName, services: mergeServiceConnections({}) };
}
