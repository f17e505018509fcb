import * as pulumi from "@pulumi/pulumi";
import { ValkeyAppUsers } from "../components/valkey/appUsers";
import { valkeyServiceConnections } from "../components/valkey/connections";
import { ValkeyExternal } from "../components/valkey/external";
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
  externalPlatform(cfg);

  const valkeyUsers = new ValkeyAppUsers("valkey-app-users", {
    settings: cfg.valkey,
    enabledOptionalServices: cfg.services.optional,
    operatorManagedPassword: cfg.external.valkey.appPassword,
  });
  const valkey = new ValkeyExternal("valkey", { external: cfg.external.valkey, appUsers: valkeyUsers });

  const services = mergeServiceConnections({
    valkey: valkeyServiceConnections(valkey, valkeyUsers),
  });
  return {
    profile: cfg.profile,
    environment: cfg.environmentName,
    services,
    valkeyAclLines: valkey.appAclLines ? pulumi.secret(valkey.appAclLines) : undefined,
  };
}
