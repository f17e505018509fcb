import { z } from "zod";
import { SERVICES, VALKEY_ONLY_CONSUMERS } from "../catalog";
import {
  awsWindow,
  chartSource,
  dockerHostDirectory,
  imageRef,
  kubernetesObjectName,
  memorySize,
  port,
  secretString,
  storageQuantity,
  version,
} from "../settingsCommon";
import { refinedBy } from "../settingsProblem";
import { valkeyChartProblems } from "./chartValues";
import { externalHostProblems } from "./connections";
import { elastiCacheProblems } from "./elasticache";

/**
 * Valkey settings, one block per config key (see docs/valkey.md for the reference table).
 * Every field has a default except an external server's host and adminPassword.
 */

/** Every service id that may hold Valkey keys: catalog services (core and optional) plus Valkey-only consumers. */
export const VALKEY_CONSUMER_IDS: readonly string[] = [
  ...SERVICES.map((s) => s.id),
  ...VALKEY_ONLY_CONSUMERS.map((c) => c.id),
];

/** ACL user names: lowercase, so they are valid ElastiCache user names, Kubernetes Secret keys and log-friendly. */
const aclUserName = z
  .string({ error: "must be a user name such as stellaops" })
  .regex(/^[a-z][a-z0-9-]{0,30}$/, {
    error: "must start with a lowercase letter and contain only a-z, 0-9 and '-' (at most 31 characters)",
  })
  .refine((name) => name !== "default", { error: '"default" is reserved: the default user is always disabled' });

/**
 * A key or channel glob for an ACL rule. The characters are limited to what key names and Valkey globs need
 * (letters, digits, `_ . : - / @ = +`, and `* ? [ ] ^ { }`), because a pattern travels into an ACL file line and, on
 * Kubernetes, through the valkey chart's init script (`echo "user … <permissions>"` under /bin/sh): a space would
 * split the rule, `$( )` or a backtick would run in a pod holding every Valkey password, and `\n` in dash's echo
 * would start a second ACL user.
 */
export const ACL_PATTERN_RULE =
  "must be a glob of at most 256 characters from a-z A-Z 0-9 _ . : - / @ = + * ? [ ] ^ { }, such as scanner.event.*";
const aclPattern = z
  .string({ error: ACL_PATTERN_RULE })
  .regex(/^[A-Za-z0-9_.:\-/@=+*?[\]^{}]{1,256}$/, { error: ACL_PATTERN_RULE });

/** `{ <service id>: [patterns] }`, service ids checked against the catalog. */
const patternsByService = z
  .record(z.string(), z.array(aclPattern))
  .superRefine((value, ctx) => {
    for (const id of Object.keys(value)) {
      if (!VALKEY_CONSUMER_IDS.includes(id)) {
        ctx.addIssue({
          code: "custom",
          message: `unknown service "${id}"; allowed: ${VALKEY_CONSUMER_IDS.join(", ")}`,
          path: [id],
        });
      }
    }
  })
  .default({});

/** Valkey's eviction policies; anything but noeviction can silently drop StellaOps keys (see docs/valkey.md). */
export const MAXMEMORY_POLICIES = [
  "noeviction",
  "volatile-lru",
  "allkeys-lru",
  "volatile-lfu",
  "allkeys-lfu",
  "volatile-random",
  "allkeys-random",
  "volatile-ttl",
] as const;

const savePoint = z.strictObject({
  seconds: z.number().int().min(1, { error: "must be a whole number of seconds >= 1" }),
  changes: z.number().int().min(1, { error: "must be a whole number of changed keys >= 1" }),
});

/** `stellaops-infra:valkey`: platform-independent Valkey settings. Every field has a default. */
export const valkeySettings = z.strictObject({
  /** Valkey version; StellaOps's 2026 reference stack runs 9.0.1, supported floor 8.0. */
  version: version.default("9.0.1"),
  /** Explicit memory limit: with noeviction, writes fail loudly instead of silently dropping keys. */
  maxmemory: memorySize.default("1gb"),
  /**
   * What Valkey does at maxmemory. noeviction (default) refuses writes; every other policy deletes keys
   * StellaOps still needs (nonces, queue entries, rate-limit buckets) without telling anyone.
   */
  maxmemoryPolicy: z
    .enum(MAXMEMORY_POLICIES, { error: `must be one of: ${MAXMEMORY_POLICIES.join(", ")}` })
    .default("noeviction"),
  /** AOF fsync: everysec loses at most ~1 s of writes on a crash; always is slower and loses none. */
  appendfsync: z
    .enum(["everysec", "always"], { error: 'must be "everysec" or "always" ("no" is not allowed: it can lose ~30 s)' })
    .default("everysec"),
  /** RDB snapshot points (`save <seconds> <changes>`), kept beside the AOF for fast restarts and backups. */
  savePoints: z.array(savePoint).default([
    { seconds: 3600, changes: 1 },
    { seconds: 300, changes: 100 },
    { seconds: 60, changes: 10000 },
  ]),
  /** `shared`: one StellaOps user; `per-service`: one user per service limited to its key patterns. */
  aclMode: z.enum(["shared", "per-service"], { error: 'must be "shared" or "per-service"' }).default("shared"),
  /** The shared application user; in per-service mode the prefix of every service user (`<appUser>-<service>`). */
  appUser: aclUserName.default("stellaops"),
  /** The administrative user this program and operators use (all commands, all keys). */
  adminUser: aclUserName.default("stellaops-admin"),
  /** per-service mode: extra read-write key patterns per service, e.g. `{ notify: ["scanner.event.*"] }`. */
  extraKeyPatterns: patternsByService,
  /** per-service mode: extra read-only key patterns per service (`%R~`): reads only, no writes or deletes. */
  extraReadKeyPatterns: patternsByService,
  /** per-service mode: extra pub/sub channel patterns per service. */
  extraChannelPatterns: patternsByService,
});
export type ValkeySettings = z.infer<typeof valkeySettings>;

/** `stellaops-infra:docker.valkey` */
export const valkeyDockerSettings = z.strictObject({
  image: imageRef.default("valkey/valkey:9.0.1"),
  /** Host port published on platform.bindAddress. */
  hostPort: port.default(6379),
  /**
   * TLS from a directory on the Docker host holding tls.crt, tls.key and ca.crt, mounted read-only at /tls.
   * The key never passes through Pulumi state. When set, Valkey listens with TLS only.
   */
  tls: z
    .strictObject({
      hostDir: dockerHostDirectory("/etc/valkey-tls"),
    })
    .optional(),
});
export type ValkeyDockerSettings = z.infer<typeof valkeyDockerSettings>;

/** `stellaops-infra:kubernetes.valkey` */
export const valkeyKubernetesSettings = z
  .strictObject({
    /** Must carry a tag (optionally also @sha256:<digest>): the chart renders `repository:tag`. */
    image: imageRef.default("docker.io/valkey/valkey:9.0.1"),
    /** The valkey-io `valkey` chart (0.9.x values layout); a mirror or a vendored .tgz for air-gapped clusters. */
    chart: chartSource.default({ repository: "https://valkey.io/valkey-helm/", chart: "valkey", version: "0.9.4" }),
    /** Helm release name, also the Service name: `<releaseName>.<namespace>.svc`. */
    releaseName: z
      .string()
      .regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, {
        error: "must be a DNS label such as valkey (at most 40 characters)",
      })
      .default("valkey"),
    /** Size of each data volume (AOF + RDB need headroom beyond maxmemory: at least 2-3x). */
    storageSize: storageQuantity.default("10Gi"),
    /** Storage class for the data volumes; the platform's storage class (or the cluster default) when unset. */
    storageClass: kubernetesObjectName.optional(),
    /** Read replicas besides the primary (0 = standalone). Replicas copy data; they do not fail over (see docs). */
    replicas: z.number().int().min(0, { error: "must be 0 or more" }).max(8, { error: "must be at most 8" }).default(0),
    /** With replicas: the primary refuses writes unless this many replicas are in sync (0 = off). */
    minReplicasToWrite: z.number().int().min(0).default(0),
    /** Existing Secret with server.crt, server.key and ca.crt: turns TLS on. */
    tlsSecretName: kubernetesObjectName.optional(),
  })
  // The chart's image and write quorum (chartValues.ts).
  .superRefine(refinedBy(valkeyChartProblems));
export type ValkeyKubernetesSettings = z.infer<typeof valkeyKubernetesSettings>;

/** `stellaops-infra:aws.valkey` */
export const valkeyAwsSettings = z
  .strictObject({
    nodeType: z
      .string()
      .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be a node type such as cache.t4g.medium" })
      .default("cache.t4g.medium"),
    /**
     * ElastiCache engine version (major.minor). ElastiCache trails upstream Valkey, so this is separate from
     * valkey.version; the parameter-group family follows its major version.
     */
    engineVersion: z
      .string()
      .regex(/^\d+\.\d+$/, { error: 'must be an ElastiCache engine version such as "8.1" (major.minor)' })
      .default("8.1"),
    /** Nodes in the replication group (primary + replicas). Automatic failover and Multi-AZ need at least 2. */
    nodes: z.number().int().min(1, { error: "must be at least 1" }).max(6, { error: "must be at most 6" }).default(2),
    automaticFailover: z.boolean().default(true),
    multiAz: z.boolean().default(true),
    /** Days of daily snapshots to keep (0 turns snapshots off). */
    snapshotRetentionDays: z.number().int().min(0).max(35, { error: "must be 0-35 days" }).default(7),
    /** Daily snapshot window (UTC), e.g. 03:00-04:00; AWS picks one when unset. */
    snapshotWindow: awsWindow("daily", 60).optional(),
    /** Weekly maintenance window, e.g. sun:05:00-sun:06:00 (at least 60 minutes); AWS picks one when unset. */
    maintenanceWindow: awsWindow("weekly", 60).optional(),
  })
  // Replication, Multi-AZ and the engine versions ElastiCache has (elasticache.ts).
  .superRefine(refinedBy(elastiCacheProblems));
export type ValkeyAwsSettings = z.infer<typeof valkeyAwsSettings>;

/** StackExchange.Redis splits its connection string on ',' and '='; a password holding them cannot be passed. */
const connectionStringSafeSecret = secretString.regex(/^[^,=\s]+$/, {
  error: "must not contain ',', '=' or whitespace (StackExchange.Redis connection strings cannot carry them)",
});

/**
 * `stellaops-infra:external.valkey`: an existing server. With appPassword the operator manages the application
 * user `valkey.appUser` (shared mode only); without it this program generates the application users' passwords and exports the
 * ACL lines (hashes only) for the operator to load.
 */
export const valkeyExternalSettings = z
  .strictObject({
    host: z.string().min(1, { error: "must be the server's host name or address" }),
    port: port.default(6379),
    tls: z.boolean().default(false),
    adminUser: z.string().min(1).default("default"),
    adminPassword: secretString,
    /** Password of the operator-managed application user (named by valkey.appUser); shared mode only. */
    appPassword: connectionStringSafeSecret.optional(),
  })
  // A host the StackExchange.Redis connection string can carry (connections.ts).
  .superRefine(refinedBy((external) => externalHostProblems(external.host)));
export type ValkeyExternalSettings = z.infer<typeof valkeyExternalSettings>;
