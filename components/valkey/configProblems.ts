import {
  appAclUserProblems,
  appAclUsers,
  duplicateUserProblems,
  operatorManagedUserProblems,
  serverAclUsers,
} from "./model";
import { underKey, type SettingsProblem } from "../settingsProblem";
import type { ValkeyExternalSettings, ValkeyKubernetesSettings, ValkeySettings } from "./settings";

/** The platform block of the stack config the Valkey components of a profile read. */
export type ValkeyDeployment =
  | { readonly platform: "docker" }
  | { readonly platform: "kubernetes"; readonly kubernetes: ValkeyKubernetesSettings }
  | { readonly platform: "aws" }
  | { readonly platform: "external"; readonly external: Pick<ValkeyExternalSettings, "appPassword"> };

/**
 * What the Valkey settings cannot be deployed with across blocks, each with its path from the config root: the
 * application users' extras (services.optional), user names that clash with the platform server's own users, and an
 * operator-managed user in per-service mode. The one home of these rules: the loader reports them with every other
 * problem (profiles/componentRules.ts), and the components trust the settings they receive. What one platform block
 * cannot do (the chart's image and write quorum, ElastiCache, an existing server's host) is a rule of that block's
 * schema (settings.ts).
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
    ...(deployment.platform === "external"
      ? operatorManagedUserProblems(settings, deployment.external.appPassword !== undefined)
      : []),
  ];
}

const NO_EXTRAS = { extraKeyPatterns: {}, extraReadKeyPatterns: {}, extraChannelPatterns: {} };
