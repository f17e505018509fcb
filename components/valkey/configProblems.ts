import {
  appAclUserProblems,
  appAclUsers,
  duplicateUserProblems,
  operatorManagedUserProblems,
  serverAclUsers,
} from "./acl";
import { valkeyChartProblems } from "./chartValues";
import { externalHostProblems } from "./connections";
import { elastiCacheProblems } from "./elasticache";
import { underKey, type SettingsProblem } from "../settingsProblem";
import type { ValkeyAwsSettings, ValkeyExternalSettings, ValkeyKubernetesSettings, ValkeySettings } from "./settings";

/** The platform block of the stack config the Valkey components of a profile read. */
export type ValkeyDeployment =
  | { readonly platform: "docker" }
  | { readonly platform: "kubernetes"; readonly kubernetes: ValkeyKubernetesSettings }
  | { readonly platform: "aws"; readonly aws: ValkeyAwsSettings }
  | {
      readonly platform: "external";
      readonly external: Pick<ValkeyExternalSettings, "host"> & { readonly appPassword?: unknown };
    };

/**
 * Everything the Valkey settings cannot be deployed with, each with its path from the config root: the application
 * users' extras (services.optional), user names that clash with the platform server's own users, an operator-managed
 * user in per-service mode, and what the platform cannot do (the chart's image and write quorum, ElastiCache versions
 * and replication, an existing server's host). The one home of these rules: the loader reports them all at once
 * (profiles/componentRules.ts), and the components trust the settings they receive. The rules of one block return
 * paths relative to it; they are prefixed here, once.
 */
export function valkeyConfigProblems(
  settings: ValkeySettings,
  enabledOptionalServices: readonly string[],
  deployment: ValkeyDeployment,
): SettingsProblem[] {
  const appProblems = appAclUserProblems(settings, enabledOptionalServices);
  // Extras problems leave the users' names alone, so name clashes are still found; the extras are just not applied.
  const names = appAclUsers({ ...settings, ...NO_EXTRAS }, enabledOptionalServices);
  const server =
    deployment.platform === "kubernetes"
      ? { platform: deployment.platform, replicas: deployment.kubernetes.replicas }
      : { platform: deployment.platform };
  return [
    ...underKey(
      ["valkey"],
      [...appProblems, ...duplicateUserProblems([...serverAclUsers(server, settings.adminUser), ...names])],
    ),
    ...platformProblems(settings, deployment),
  ];
}

const NO_EXTRAS = { extraKeyPatterns: {}, extraReadKeyPatterns: {}, extraChannelPatterns: {} };

function platformProblems(settings: ValkeySettings, deployment: ValkeyDeployment): SettingsProblem[] {
  switch (deployment.platform) {
    case "docker":
      return [];
    case "kubernetes":
      return underKey(["kubernetes", "valkey"], valkeyChartProblems(deployment.kubernetes));
    case "aws":
      return underKey(["aws", "valkey"], elastiCacheProblems(deployment.aws));
    case "external":
      return [
        ...operatorManagedUserProblems(settings, deployment.external.appPassword !== undefined),
        ...underKey(["external", "valkey"], externalHostProblems(deployment.external.host)),
      ];
  }
}
