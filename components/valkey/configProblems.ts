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
import type { SettingsProblem } from "../settingsProblem";
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
 * Everything the Valkey components would refuse for these settings, each with its config path: the application
 * users' extras, an operator-managed user in per-service mode, user names that clash with the server's own users,
 * and what the platform cannot do (the chart's image and write quorum, ElastiCache versions and replication, an
 * existing server's host). The components refuse the same problems, from the same functions.
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
    ...appProblems,
    ...duplicateUserProblems([...serverAclUsers(server, settings.adminUser), ...names]),
    ...platformProblems(settings, deployment),
  ];
}

const NO_EXTRAS = { extraKeyPatterns: {}, extraReadKeyPatterns: {}, extraChannelPatterns: {} };

function platformProblems(settings: ValkeySettings, deployment: ValkeyDeployment): SettingsProblem[] {
  switch (deployment.platform) {
    case "docker":
      return [];
    case "kubernetes":
      return valkeyChartProblems(deployment.kubernetes);
    case "aws":
      return elastiCacheProblems(deployment.aws);
    case "external":
      return [
        ...operatorManagedUserProblems(settings, deployment.external.appPassword !== undefined),
        ...externalHostProblems(deployment.external.host),
      ];
  }
}
