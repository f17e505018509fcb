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
    valkey: valkeyServiceConnections(valkey, valkeyUsers),
  });
  return { profile: cfg.profile, environment: cfg.environmentName, services };
}
