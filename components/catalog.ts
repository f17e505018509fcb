/**
 * The StellaOps services and what each needs from the infrastructure: pure data, no Pulumi.
 *
 * Every component derives its layout from here (PostgreSQL schemas and roles, Valkey ACL patterns,
 * bucket grants, NATS permissions), so adding a StellaOps service is one entry in SERVICES.
 * "Known" facts come from StellaOps's own docs and deploy files; "assumed" ones are defaults that
 * config can override (see ../shared/stellaops-facts.md).
 */

/** Logical bucket roles; the actual bucket names come from config (objectStore.buckets). */
export const BUCKET_ROLES = [
  "scannerArtifacts",
  "surfaceCache",
  "surfaceManifests",
  "evidence",
  "replay",
  "exports",
] as const;
export type BucketRole = (typeof BUCKET_ROLES)[number];

/** Default bucket names: the first three are named by StellaOps; the rest are assumed defaults. */
export const DEFAULT_BUCKET_NAMES: Readonly<Record<BucketRole, string>> = {
  scannerArtifacts: "scanner-artifacts",
  surfaceCache: "surface-cache",
  surfaceManifests: "surface-manifests",
  evidence: "evidence-locker",
  replay: "replay",
  exports: "mirror-exports",
};

export interface NatsStream {
  /** Stream name the service creates itself, e.g. SCANNER_JOBS. */
  readonly name: string;
  /** Subjects the stream captures. */
  readonly subjects: readonly string[];
}

export interface ServiceSpec {
  /** Stable identifier: used in role names, ACL user names, output keys. Lowercase, [a-z0-9-]. */
  readonly id: string;
  readonly displayName: string;
  /** Off unless config enables it (services.optional). Core services are always present. */
  readonly optional: boolean;
  /** PostgreSQL schemas the service owns; each also gets a `<schema>_app` helper schema. */
  readonly schemas: readonly string[];
  /** What the service keeps in Valkey; key and channel glob patterns for per-service ACLs. */
  readonly valkey: {
    readonly keyPatterns: readonly string[];
    readonly channelPatterns: readonly string[];
    /** Why, for reviewers reading the ACL. */
    readonly purpose: string;
  };
  /** Bucket roles the service reads and writes. */
  readonly buckets: readonly BucketRole[];
  /** NATS JetStream usage when NATS is enabled: the subjects it publishes and consumes, and its streams. */
  readonly nats: {
    readonly subjects: readonly string[];
    readonly streams: readonly NatsStream[];
  };
}

const noNats = { subjects: [], streams: [] } as const;

/** Valkey key/channel patterns scoped to a service's own prefix (assumed; StellaOps has no published keyspace). */
function ownPrefix(prefix: string, purpose: string, extraKeys: readonly string[] = []) {
  return {
    keyPatterns: [`${prefix}:*`, `${prefix}.*`, ...extraKeys],
    channelPatterns: [`${prefix}:*`, `${prefix}.*`],
    purpose,
  };
}

/** Dead-letter stream for a work stream, as StellaOps names them (`<STREAM>_DEAD`). */
function withDeadLetter(name: string, subject: string): NatsStream[] {
  return [
    { name, subjects: [subject] },
    { name: `${name}_DEAD`, subjects: [`${subject}.dead`] },
  ];
}

export const SERVICES: readonly ServiceSpec[] = [
  {
    id: "authority",
    displayName: "Authority",
    optional: false,
    schemas: ["authority"],
    valkey: ownPrefix("authority", "DPoP nonces (short TTL), token-bucket rate limits, caches"),
    buckets: [],
    nats: noNats,
  },
  {
    id: "scanner",
    displayName: "Scanner",
    optional: false,
    schemas: ["scanner"],
    // Known keys: scanner:jobs, scanner:jobs:idemp:*, scanner:jobs:dead; streams scanner.event.report.ready, scanner.scan.completed.
    valkey: ownPrefix("scanner", "job queues (consumer groups), idempotency keys, event streams, caches"),
    buckets: ["scannerArtifacts", "surfaceCache", "surfaceManifests", "replay", "evidence"],
    nats: { subjects: ["scanner.jobs", "scanner.jobs.>"], streams: withDeadLetter("SCANNER_JOBS", "scanner.jobs") },
  },
  {
    id: "concelier",
    displayName: "Concelier",
    optional: false,
    schemas: ["vuln"],
    valkey: ownPrefix("concelier", "advisory caches"),
    buckets: ["exports"],
    nats: noNats,
  },
  {
    id: "excititor",
    displayName: "Excititor",
    optional: false,
    schemas: ["vex"],
    valkey: ownPrefix("excititor", "VEX caches"),
    buckets: [],
    nats: noNats,
  },
  {
    id: "scheduler",
    displayName: "Scheduler",
    optional: false,
    schemas: ["scheduler"],
    // Known keys: scheduler:planner:*.
    valkey: ownPrefix("scheduler", "planner and runner queues, event streams"),
    buckets: [],
    nats: {
      subjects: ["scheduler.planner", "scheduler.planner.>", "scheduler.runner", "scheduler.runner.>"],
      streams: [
        ...withDeadLetter("SCHEDULER_PLANNER", "scheduler.planner"),
        ...withDeadLetter("SCHEDULER_RUNNER", "scheduler.runner"),
      ],
    },
  },
  {
    id: "notify",
    displayName: "Notify",
    optional: false,
    schemas: ["notify"],
    valkey: ownPrefix("notify", "delivery queues (consumer groups), event streams, digests"),
    buckets: [],
    nats: noNats,
  },
  {
    id: "policy",
    displayName: "Policy",
    optional: false,
    schemas: ["policy"],
    valkey: ownPrefix("policy", "evaluation caches"),
    buckets: [],
    nats: noNats,
  },
  {
    id: "orchestrator",
    displayName: "Orchestrator",
    optional: false,
    schemas: ["orchestrator"],
    valkey: ownPrefix("orchestrator", "run coordination, caches"),
    buckets: [],
    nats: noNats,
  },
  // Optional services (seen in StellaOps with their own schemas); off unless config lists them.
  ...optionalService("airgap", "AirGap", ["airgap"], []),
  ...optionalService("packs", "Pack Registry", ["packs"], []),
  ...optionalService("issuer", "Issuer Directory", ["issuer"], []),
  ...optionalService("unknowns", "Unknowns", ["unknowns"], []),
  ...optionalService("audit", "Audit", ["audit"], []),
  ...optionalService("registry", "Registry Token Service", ["registry"], []),
  ...optionalService("symbols", "Symbols", ["symbols"], []),
  ...optionalService("evidence-locker", "Evidence Locker", ["evidence_locker"], ["evidence"]),
  ...optionalService("graph", "Graph", ["graph"], []),
];

function optionalService(id: string, displayName: string, schemas: string[], buckets: BucketRole[]): ServiceSpec[] {
  return [
    {
      id,
      displayName,
      optional: true,
      schemas,
      valkey: ownPrefix(id, "caches"),
      buckets,
      nats: noNats,
    },
  ];
}

/**
 * The gateway keeps token-bucket rate-limit counters in Valkey but has no schema, bucket or stream.
 * It is a Valkey-only consumer, listed separately so the PostgreSQL layout does not give it a role.
 */
export const VALKEY_ONLY_CONSUMERS: readonly Pick<ServiceSpec, "id" | "displayName" | "valkey">[] = [
  { id: "gateway", displayName: "Gateway", valkey: ownPrefix("gateway", "rate-limit token buckets, request routing") },
];

export const CORE_SERVICE_IDS = SERVICES.filter((s) => !s.optional).map((s) => s.id);
export const OPTIONAL_SERVICE_IDS = SERVICES.filter((s) => s.optional).map((s) => s.id);

/** The services in a deployment: every core service plus the optional ones config enables, in catalog order. */
export function activeServices(enabledOptional: readonly string[] = []): ServiceSpec[] {
  const unknown = enabledOptional.filter((id) => !OPTIONAL_SERVICE_IDS.includes(id));
  if (unknown.length > 0) {
    throw new Error(`unknown optional service(s): ${unknown.join(", ")}; allowed: ${OPTIONAL_SERVICE_IDS.join(", ")}`);
  }
  return SERVICES.filter((s) => !s.optional || enabledOptional.includes(s.id));
}

export function serviceById(id: string): ServiceSpec {
  const found = SERVICES.find((s) => s.id === id);
  if (!found) throw new Error(`unknown StellaOps service "${id}"`);
  return found;
}

/** The helper schema StellaOps pairs with every schema (row-level-security helper functions). */
export function appSchemaOf(schema: string): string {
  return `${schema}_app`;
}
