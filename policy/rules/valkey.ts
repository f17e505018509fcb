import type { ParameterGroupArgs } from "@pulumi/aws/elasticache/parameterGroup";
import type { ReplicationGroupArgs } from "@pulumi/aws/elasticache/replicationGroup";
import type { ContainerArgs } from "@pulumi/docker/container";
import type { ReleaseArgs } from "@pulumi/kubernetes/helm/v3/release";
import { always, violation, type ResourceRule } from "../model";
import { prop, T } from "../resourceTypes";
import { asList, asRecord, asString, decodeJson, isKnown } from "../values";

/**
 * Valkey never evicts StellaOps keys: nonces, queue entries and rate-limit buckets silently disappearing breaks
 * work without an error. At the memory limit writes must fail instead (`maxmemory-policy noeviction`).
 */

const FIX =
  "set valkey.maxmemoryPolicy to noeviction (the default) and size valkey.maxmemory / the node type for the data";

/** The effective `maxmemory-policy` of a valkey.conf text (the last directive wins), if it sets one. */
export function confPolicy(text: string): string | undefined {
  const matches = [...text.matchAll(/^[ \t]*maxmemory-policy[ \t]+"?([A-Za-z-]+)"?[ \t]*$/gm)];
  return matches.length > 0 ? matches[matches.length - 1][1].toLowerCase() : undefined;
}

/** `--maxmemory-policy X` in a server command line (the last one wins). */
export function commandPolicy(command: readonly unknown[]): string | undefined {
  let policy: string | undefined;
  command.forEach((arg, i) => {
    if (arg === "--maxmemory-policy" && typeof command[i + 1] === "string") policy = String(command[i + 1]);
  });
  return policy;
}

/** Every string in a values tree (chart values may carry valkey.conf fragments anywhere). */
function strings(value: unknown, found: string[] = []): string[] {
  if (typeof value === "string") found.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, found));
  else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => strings(v, found));
  return found;
}

const PG_FAMILY = prop<ParameterGroupArgs>("family");
const PG_PARAMETERS = prop<ParameterGroupArgs>("parameters");
const RG_ENGINE = prop<ReplicationGroupArgs>("engine");
const RG_PARAMETER_GROUP = prop<ReplicationGroupArgs>("parameterGroupName");
const UPLOADS = prop<ContainerArgs>("uploads");
const COMMAND = prop<ContainerArgs>("command");
const VALUES = prop<ReleaseArgs>("values");

export const valkeyNoEviction: ResourceRule = {
  kind: "resource",
  name: "valkey-noeviction",
  description:
    "Valkey runs with maxmemory-policy noeviction everywhere: ElastiCache parameter groups, uploaded valkey.conf files, chart values.",
  remediation:
    'Keep valkey.maxmemoryPolicy "noeviction"; on ElastiCache use a parameter group of this stack with maxmemory-policy noeviction (the default groups evict).',
  severity: "high",
  level: always("mandatory"),
  uses: [],
  types: [
    T.elastiCacheParameterGroup,
    T.elastiCacheReplicationGroup,
    T.dockerContainer,
    T.helmRelease,
    "kubernetes:core/v1:ConfigMap",
  ],
  check(r) {
    const evicts = (where: string, policy: string) =>
      violation(`${where} sets maxmemory-policy ${policy}: Valkey would drop StellaOps keys at the memory limit`, FIX);
    switch (r.type) {
      case T.elastiCacheParameterGroup: {
        const family = asString(r.props[PG_FAMILY]) ?? "";
        if (!/^(valkey|redis)/.test(family)) return [];
        const parameter = asList(r.props[PG_PARAMETERS])
          .map(asRecord)
          .filter((p) => p["name"] === "maxmemory-policy")
          .pop();
        if (parameter === undefined) {
          return [
            violation(
              `parameter group ${r.name} (${family}) does not set maxmemory-policy, so ElastiCache's default (volatile-lru) evicts keys`,
              `add { name: "maxmemory-policy", value: "noeviction" } to its parameters`,
            ),
          ];
        }
        const value = parameter["value"];
        return isKnown(value) && value !== "noeviction" ? [evicts(`parameter group ${r.name}`, String(value))] : [];
      }
      case T.elastiCacheReplicationGroup: {
        const engine = asString(r.props[RG_ENGINE]);
        if (engine !== undefined && !["valkey", "redis"].includes(engine)) return [];
        const group = r.props[RG_PARAMETER_GROUP];
        if (group === undefined || (typeof group === "string" && group.startsWith("default."))) {
          return [
            violation(
              `replication group ${r.name} uses ${group === undefined ? "the engine's default parameter group" : group}, whose maxmemory-policy (volatile-lru) evicts keys`,
              `create an aws.elasticache.ParameterGroup with maxmemory-policy noeviction and set ${RG_PARAMETER_GROUP} to it`,
            ),
          ];
        }
        return [];
      }
      case T.dockerContainer: {
        const problems: string[] = [];
        for (const upload of asList(r.props[UPLOADS]).map(asRecord)) {
          const content = asString(upload["content"]);
          const policy = content ? confPolicy(content) : undefined;
          if (policy && policy !== "noeviction")
            problems.push(evicts(`uploaded file ${String(upload["file"])}`, policy));
        }
        const policy = commandPolicy(asList(r.props[COMMAND]));
        if (policy && policy !== "noeviction") problems.push(evicts(`the command of container ${r.name}`, policy));
        return problems;
      }
      default: {
        // Helm values and ConfigMap data: any valkey.conf text they carry.
        const tree = r.type === T.helmRelease ? decodeJson(r.props[VALUES]) : r.props["data"];
        return strings(tree)
          .map(confPolicy)
          .filter((p): p is string => p !== undefined && p !== "noeviction")
          .map((p) => evicts(r.type === T.helmRelease ? `the values of release ${r.name}` : `ConfigMap ${r.name}`, p));
      }
    }
  },
};
