import { createHash } from "node:crypto";
import { assertDistinctUsers, DISABLED_DEFAULT_USER, type AclUser } from "./model";

/**
 * The ACL model (model.ts) rendered for each consumer: Valkey's ACL file (Docker), the valkey-io chart's
 * permission strings (Kubernetes) and ElastiCache RBAC access strings (AWS), all from one token list per user.
 */

/** Key, channel and command rules of a user (no on/off, no password). */
function permissionTokens(user: AclUser, withResets: boolean): string[] {
  return [
    ...(withResets ? ["resetkeys"] : []),
    ...user.keyPatterns.map((p) => `~${p}`),
    ...user.readKeyPatterns.map((p) => `%R~${p}`),
    ...(withResets ? ["resetchannels"] : []),
    ...user.channelPatterns.map((p) => `&${p}`),
    ...user.commandRules,
  ];
}

/** SHA-256 hex of a password, the form Valkey ACL files accept as `#<hash>`. */
export function sha256Hex(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("hex");
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * One ACL file line. Enabled users need the SHA-256 hash of their password (never the password itself);
 * disabled users get `resetpass`: no password at all, so nobody can authenticate as them.
 */
export function renderAclLine(user: AclUser, passwordSha256?: string): string {
  let credential: string;
  if (user.enabled) {
    if (passwordSha256 === undefined || !SHA256_HEX.test(passwordSha256)) {
      throw new Error(`ACL user "${user.name}" needs the SHA-256 hex hash of its password`);
    }
    credential = `#${passwordSha256}`;
  } else {
    credential = "resetpass";
  }
  return ["user", user.name, user.enabled ? "on" : "off", credential, ...permissionTokens(user, true)].join(" ");
}

/** The ACL file: the disabled default user first, then every user with its password hash. */
export function renderAclFile(entries: readonly { user: AclUser; passwordSha256?: string }[]): string {
  assertDistinctUsers(entries.map((e) => e.user));
  const lines = entries.map((e) => renderAclLine(e.user, e.passwordSha256));
  if (!entries.some((e) => e.user.name === "default")) lines.unshift(renderAclLine(DISABLED_DEFAULT_USER));
  return `${lines.join("\n")}\n`;
}

/**
 * The permission string for the valkey-io chart's `auth.aclUsers.<name>.permissions`. The chart writes
 * `user <name> on #<hash of the Secret's password> <permissions>`, so a disabled user turns itself off again.
 */
export function chartPermissions(user: AclUser): string {
  const prefix = user.enabled ? [] : ["off", "resetpass"];
  return [...prefix, ...permissionTokens(user, true)].join(" ");
}

/**
 * An ElastiCache RBAC access string: the same rules without user name and password (set through the API)
 * and without reset* tokens (ElastiCache rejects reset and builds each user from nothing anyway).
 */
export function elastiCacheAccessString(user: AclUser): string {
  return [user.enabled ? "on" : "off", ...permissionTokens(user, false)].join(" ");
}
