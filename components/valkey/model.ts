import { activeServices, VALKEY_ONLY_CONSUMERS } from "../catalog";
import { throwOnProblems, underKey, type SettingsProblem } from "../settingsProblem";
import type { ValkeySettings } from "./settings";

/**
 * The Valkey ACL model, pure: which users exist, which keys, channels and commands each may use.
 * Rendered three ways from the same data: an ACL file (self-hosted Valkey, passwords as SHA-256 hashes),
 * the valkey-io chart's per-user permission strings, and ElastiCache RBAC access strings.
 */

export type AclRole = "default" | "admin" | "app" | "healthcheck" | "replication";

export interface AclUser {
  readonly name: string;
  readonly role: AclRole;
  readonly enabled: boolean;
  /** Services whose connection uses this user (application users only). */
  readonly services: readonly string[];
  /** Read-write key patterns (`~pattern`). */
  readonly keyPatterns: readonly string[];
  /** Read-only key patterns (`%R~pattern`): GET, XRANGE, ... but no writes or deletes. */
  readonly readKeyPatterns: readonly string[];
  /** Pub/sub channel patterns (`&pattern`). */
  readonly channelPatterns: readonly string[];
  /** Command rules in order; later rules override earlier ones. */
  readonly commandRules: readonly string[];
}

/**
 * What the application users may run, and why each exception exists. Every entry is proved on a real
 * server by test/integration/valkeyAcl.test.ts and listed in docs/valkey.md.
 */
export const APP_COMMAND_RULES: readonly { readonly rule: string; readonly why: string }[] = [
  {
    rule: "+@all",
    why: "start from every command: StellaOps uses strings, hashes, lists, sorted sets, streams and consumer groups, pub/sub, transactions and Lua",
  },
  {
    rule: "-@dangerous",
    why: "no FLUSHALL/FLUSHDB, KEYS, SORT/SORT_RO (BY/GET read arbitrary keys), MIGRATE/RESTORE, SWAPDB, and every @admin command",
  },
  {
    rule: "-@admin",
    why: "no CONFIG, DEBUG, SHUTDOWN, ACL SETUSER/LIST/GETUSER/LOG, MONITOR, REPLICAOF, SAVE/BGSAVE, CLIENT KILL/LIST/PAUSE, MODULE, FAILOVER (already in @dangerous today; explicit so a future admin command stays out)",
  },
  {
    rule: "+info",
    why: "re-allowed: StackExchange.Redis reads INFO (version, replication role) when it connects and every configCheckSeconds; INFO shows no keys, values or credentials",
  },
  { rule: "-script|flush", why: "would drop every service's cached scripts at once" },
  { rule: "-script|kill", why: "would kill another client's running script" },
  { rule: "-script|debug", why: "SCRIPT DEBUG SYNC blocks the whole server while a script is stepped through" },
  { rule: "-function|flush", why: "would delete every service's function libraries" },
  { rule: "-function|delete", why: "would delete another service's function library" },
  { rule: "-function|restore", why: "replaces the function libraries wholesale" },
  { rule: "-function|kill", why: "would kill another client's running function" },
];

const APP_RULES = APP_COMMAND_RULES.map((r) => r.rule);

/** The built-in `default` user: off, no password at all (not `nopass`: that would also switch protected mode on). */
export const DISABLED_DEFAULT_USER: AclUser = {
  name: "default",
  role: "default",
  enabled: false,
  services: [],
  keyPatterns: [],
  readKeyPatterns: [],
  channelPatterns: [],
  commandRules: ["-@all"],
};

export function adminAclUser(name: string): AclUser {
  return {
    name,
    role: "admin",
    enabled: true,
    services: [],
    keyPatterns: ["*"],
    readKeyPatterns: [],
    channelPatterns: ["*"],
    commandRules: ["+@all"],
  };
}

/** Used only by the container healthcheck: PING and nothing else. */
export const HEALTHCHECK_ACL_USER: AclUser = {
  name: "healthcheck",
  role: "healthcheck",
  enabled: true,
  services: [],
  keyPatterns: [],
  readKeyPatterns: [],
  channelPatterns: [],
  commandRules: ["-@all", "+ping"],
};

/** Replicas authenticate to the primary with this user (Kubernetes replicas): replication commands only. */
export const REPLICATION_ACL_USER: AclUser = {
  name: "replication",
  role: "replication",
  enabled: true,
  services: [],
  keyPatterns: [],
  readKeyPatterns: [],
  channelPatterns: [],
  commandRules: ["-@all", "+psync", "+replconf", "+ping"],
};

export type AppAclSettings = Pick<
  ValkeySettings,
  "aclMode" | "appUser" | "extraKeyPatterns" | "extraReadKeyPatterns" | "extraChannelPatterns"
>;

/** Services and Valkey-only consumers present in this deployment, in catalog order. */
export function valkeyConsumers(enabledOptional: readonly string[] = []): {
  id: string;
  keyPatterns: readonly string[];
  channelPatterns: readonly string[];
}[] {
  return [
    ...activeServices(enabledOptional).map((s) => ({ id: s.id, ...s.valkey })),
    ...VALKEY_ONLY_CONSUMERS.map((c) => ({ id: c.id, ...c.valkey })),
  ];
}

/** Distinct patterns; `*` alone when present (Valkey refuses a pattern after `*` as a configuration error). */
function patterns(values: readonly string[]): string[] {
  return values.includes("*") ? ["*"] : [...new Set(values)];
}

/** The kind of server the users are for; Kubernetes adds a user only when it runs replicas. */
export type ValkeyServerKind =
  | { readonly platform: "docker" }
  | { readonly platform: "kubernetes"; readonly replicas: number }
  | { readonly platform: "aws" }
  | { readonly platform: "external" };

/**
 * The ACL users a platform's server holds besides the application users, in the order it lists them: its admin user
 * (valkey.adminUser) and the fixed users it needs. Every server has the built-in default user, disabled; Docker adds
 * the PING-only healthcheck user its container healthcheck logs in with; Kubernetes with replicas adds the user the
 * replicas replicate with. An existing server (external) holds the operator's users, none of them this program's.
 */
export function serverAclUsers(server: ValkeyServerKind, adminUser: string): AclUser[] {
  const admin = adminAclUser(adminUser);
  switch (server.platform) {
    case "docker":
      return [DISABLED_DEFAULT_USER, admin, HEALTHCHECK_ACL_USER];
    case "kubernetes":
      return [DISABLED_DEFAULT_USER, admin, ...(server.replicas > 0 ? [REPLICATION_ACL_USER] : [])];
    case "aws":
      return [DISABLED_DEFAULT_USER, admin];
    case "external":
      return [];
  }
}

const EXTRA_PATTERN_KEYS = ["extraKeyPatterns", "extraReadKeyPatterns", "extraChannelPatterns"] as const;

/**
 * Per-service extras the ACL model cannot apply: any in shared mode, and extras for services not enabled. Paths are
 * relative to the `valkey` block.
 */
export function appAclUserProblems(
  settings: AppAclSettings,
  enabledOptional: readonly string[] = [],
): SettingsProblem[] {
  const consumerIds = valkeyConsumers(enabledOptional).map((c) => c.id);
  const problems: SettingsProblem[] = [];
  for (const key of EXTRA_PATTERN_KEYS) {
    const ids = Object.keys(settings[key]);
    if (ids.length === 0) continue;
    if (settings.aclMode !== "per-service") {
      problems.push({
        path: [key],
        message: 'applies only with valkey.aclMode "per-service" (the shared user has every key)',
      });
      continue;
    }
    const inactive = ids.filter((id) => !consumerIds.includes(id));
    if (inactive.length > 0) {
      problems.push({
        path: [key],
        message: `names service(s) not enabled in this deployment: ${inactive.join(", ")}; enabled: ${consumerIds.join(", ")}`,
      });
    }
  }
  return problems;
}

/**
 * An operator-managed application user (external.valkey.appPassword) is one user with one password: it cannot stand
 * for the per-service users, whose passwords this program generates. Reported at the root path of
 * external.valkey.appPassword, the key to remove.
 */
export function operatorManagedUserProblems(
  settings: Pick<ValkeySettings, "aclMode">,
  operatorManaged: boolean,
): SettingsProblem[] {
  if (!operatorManaged || settings.aclMode === "shared") return [];
  return [
    {
      path: ["external", "valkey", "appPassword"],
      message:
        'an operator-managed application user works with valkey.aclMode "shared" only; remove it to let this program generate per-service users, or set valkey.aclMode "shared"',
    },
  ];
}

/**
 * The application users: one shared user, or one per service limited to its own keys and channels.
 * Throws SettingsError listing every appAclUserProblems.
 */
export function appAclUsers(settings: AppAclSettings, enabledOptional: readonly string[] = []): AclUser[] {
  throwOnProblems(underKey(["valkey"], appAclUserProblems(settings, enabledOptional)));
  const consumers = valkeyConsumers(enabledOptional);
  if (settings.aclMode === "shared") {
    return [
      {
        name: settings.appUser,
        role: "app",
        enabled: true,
        services: consumers.map((c) => c.id),
        keyPatterns: ["*"],
        readKeyPatterns: [],
        channelPatterns: ["*"],
        commandRules: APP_RULES,
      },
    ];
  }
  return consumers.map((c) => ({
    name: `${settings.appUser}-${c.id}`,
    role: "app" as const,
    enabled: true,
    services: [c.id],
    keyPatterns: patterns([...c.keyPatterns, ...(settings.extraKeyPatterns[c.id] ?? [])]),
    readKeyPatterns: patterns(settings.extraReadKeyPatterns[c.id] ?? []),
    channelPatterns: patterns([...c.channelPatterns, ...(settings.extraChannelPatterns[c.id] ?? [])]),
    commandRules: APP_RULES,
  }));
}

/** The fixed users, as an operator would recognise them in a message. */
type FixedRole = Exclude<AclRole, "admin" | "app">;
const FIXED_USER_DESCRIPTIONS: Readonly<Record<FixedRole, string>> = {
  default: "Valkey's built-in default user (always disabled)",
  healthcheck: "the Docker healthcheck user",
  replication: "the user the Kubernetes replicas replicate with",
};

/** The service of a per-service application user (`<appUser>-<service>`); undefined for the shared user. */
function perServiceOf(user: AclUser): string | undefined {
  const [service] = user.services;
  return user.role === "app" && user.services.length === 1 && user.name.endsWith(`-${service}`) ? service : undefined;
}

/** Where a user's name comes from: its config key, or how the per-service name is made. */
function nameSource(user: AclUser): string {
  if (user.role === "admin") return "valkey.adminUser";
  const service = perServiceOf(user);
  if (service === undefined) return "valkey.appUser";
  const prefix = user.name.slice(0, -(service.length + 1));
  return `${service}'s per-service user (valkey.appUser "${prefix}" + "-${service}")`;
}

/** Why two or more users share a name, said against the key that chose it. */
function clashProblem(name: string, users: readonly AclUser[]): SettingsProblem {
  const chosen = users.filter((u) => u.role === "admin" || u.role === "app");
  const fixed = users.map((u) => u.role).find((role): role is FixedRole => role !== "admin" && role !== "app");
  const keyOf = (u: AclUser | undefined): string[] =>
    u === undefined ? [] : u.role === "admin" ? ["adminUser"] : ["appUser"];
  if (fixed !== undefined && chosen.length > 0) {
    const own = chosen[0];
    const subject =
      own.role === "app" && perServiceOf(own) !== undefined ? `"${name}" (${nameSource(own)})` : `"${name}"`;
    return {
      path: keyOf(own),
      message: `${subject} is the name of ${FIXED_USER_DESCRIPTIONS[fixed]}; choose another`,
    };
  }
  const admin = chosen.find((u) => u.role === "admin");
  const app = chosen.find((u) => u.role === "app");
  if (admin !== undefined && app !== undefined) {
    return {
      path: ["appUser"],
      message: `two Valkey ACL users are named "${name}": ${nameSource(app)} and valkey.adminUser must differ`,
    };
  }
  return { path: keyOf(app ?? chosen[0]), message: `two Valkey ACL users are named "${name}"` };
}

/**
 * One problem per name that two users share (an appUser equal to the admin user, or to a fixed user). Paths are
 * relative to the `valkey` block.
 */
export function duplicateUserProblems(users: readonly AclUser[]): SettingsProblem[] {
  const byName = new Map<string, AclUser[]>();
  for (const u of users) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
  return [...byName.entries()].filter(([, same]) => same.length > 1).map(([name, same]) => clashProblem(name, same));
}

/** Fails, naming the clash, on two users with one name. */
export function assertDistinctUsers(users: readonly AclUser[]): void {
  throwOnProblems(underKey(["valkey"], duplicateUserProblems(users)));
}
