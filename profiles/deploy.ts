import type { InfraConfig } from "./config";
import { deployAws } from "./aws";
import { deployDocker } from "./docker";
import { deployExternal } from "./external";
import { deployKubernetes } from "./kubernetes";
import type { StackOutputs } from "./outputs";

/** Picks the profile's composition. Exhaustive: a new profile fails to compile until it is handled here. */
export function deployStack(cfg: InfraConfig): StackOutputs {
  switch (cfg.profile) {
    case "docker":
      return deployDocker(cfg);
    case "kubernetes":
      return deployKubernetes(cfg);
    case "aws":
      return deployAws(cfg);
    case "external":
      return deployExternal(cfg);
  }
}
