import type { InfraConfig } from "./config";
import { mergeServiceConnections, type StackOutputs } from "./outputs";
import { externalPlatform } from "./platforms";

type ExternalConfig = Extract<InfraConfig, { profile: "external" }>;

/** The external profile: composes the servers and layouts for this platform. */
export function deployExternal(cfg: ExternalConfig): StackOutputs {
  externalPlatform(cfg);
  return { profile: cfg.profile, environment: cfg.environmentName, services: mergeServiceConnections({}) };
}
