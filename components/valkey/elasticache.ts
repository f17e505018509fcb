import { createHash } from "node:crypto";
import { SettingsError, type SettingsProblem } from "../settingsProblem";
import type { ValkeyAwsSettings, ValkeySettings } from "./settings";

/** ElastiCache naming and validation for Valkey, pure. */

/**
 * Parameter-group families ElastiCache offers for Valkey, by major version. Adding a version ElastiCache
 * starts to offer is one entry here.
 */
const FAMILIES: Readonly<Record<number, { family: string; minors: readonly number[] }>> = {
  7: { family: "valkey7", minors: [2] },
  8: { family: "valkey8", minors: [0, 1] },
};

function supportedVersions(): string {
  return Object.entries(FAMILIES)
    .flatMap(([major, f]) => f.minors.map((minor) => `${major}.${minor}`))
    .join(", ");
}

/** The family of a supported engine version; undefined for a version ElastiCache (or this program) does not offer. */
function familyOf(engineVersion: string): string | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(engineVersion);
  const entry = match ? FAMILIES[Number(match[1])] : undefined;
  return match && entry?.minors.includes(Number(match[2])) ? entry.family : undefined;
}

/** An engine version outside FAMILIES has no parameter group to give it. */
function engineVersionProblems(engineVersion: string): SettingsProblem[] {
  if (familyOf(engineVersion) !== undefined) return [];
  return [
    {
      path: ["engineVersion"],
      message: `"${engineVersion}" is not an ElastiCache Valkey version this program supports; allowed: ${supportedVersions()}`,
    },
  ];
}

/** The parameter-group family for an ElastiCache Valkey engine version ("8.1" -> "valkey8"). */
export function parameterGroupFamily(engineVersion: string): string {
  const family = familyOf(engineVersion);
  if (family === undefined) throw new SettingsError(engineVersionProblems(engineVersion));
  return family;
}

/**
 * Parameters set on the group. ElastiCache sizes memory from the node type (maxmemory is not settable) and
 * offers no AOF for Valkey: durability comes from replicas in other zones and daily snapshots.
 */
export function elastiCacheParameters(
  settings: Pick<ValkeySettings, "maxmemoryPolicy">,
): { name: string; value: string }[] {
  return [{ name: "maxmemory-policy", value: settings.maxmemoryPolicy }];
}

/** Automatic failover and Multi-AZ both need a replica to promote. */
export function replicationProblems(
  settings: Pick<ValkeyAwsSettings, "nodes" | "automaticFailover" | "multiAz">,
): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  if (settings.automaticFailover && settings.nodes < 2) {
    problems.push({
      path: ["automaticFailover"],
      message: `needs at least 2 nodes (aws.valkey.nodes is ${settings.nodes}); set nodes >= 2 or automaticFailover false`,
    });
  }
  if (settings.multiAz && !settings.automaticFailover) {
    problems.push({
      path: ["multiAz"],
      message: "needs aws.valkey.automaticFailover true (ElastiCache rejects Multi-AZ without it)",
    });
  }
  return problems;
}

/**
 * What ElastiCache would refuse: replication without a replica, an engine version it does not offer. A rule of the
 * `aws.valkey` block; paths are relative to it (the schema's refinement in settings.ts; zod prefixes them).
 */
export function elastiCacheProblems(
  settings: Pick<ValkeyAwsSettings, "nodes" | "automaticFailover" | "multiAz" | "engineVersion">,
): SettingsProblem[] {
  return [...replicationProblems(settings), ...engineVersionProblems(settings.engineVersion)];
}

/** ElastiCache identifiers: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters. */
export function elastiCacheId(...parts: string[]): string {
  const raw = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  const id = /^[a-z]/.test(raw) ? raw : `v-${raw}`;
  if (id.length <= 40) return id;
  // Long names keep a readable prefix and a stable hash, so the id never changes between runs.
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `${id.slice(0, 31).replace(/-$/, "")}-${hash}`;
}
