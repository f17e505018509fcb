import { natsToggle } from "../harness/stackOverrides";
import { imageFor, profileOf, settings, type Overrides } from "./overrides";

/**
 * Day-two edits of the example stacks, each applied to every stack where it applies. `means` says what the
 * edit is allowed to do to data; anything else it does to a data-bearing resource is a broken promise.
 * Rotations have a tier file of their own: rotation.test.ts.
 */

export interface EditMeaning {
  /** Names of data-bearing resources the edit means to replace (the diff must say so loudly). */
  replaces?: RegExp;
  /** Names of data-bearing resources the edit means to remove (their data kept as the stack promises). */
  removes?: RegExp;
  /** Update hazards the diff must report (the edit needs a procedure, not a plain `up`). */
  hazards?: readonly string[];
  /** A major version bump: config must refuse it, or the diff must report a hazard. */
  majorUpgrade?: boolean;
}

export interface DayTwoEdit {
  id: string;
  title: string;
  appliesTo: (stack: string) => boolean;
  /** The stack before the edit; absent: the stack file as it is (its shared baseline plan). */
  before?: (stack: string) => Overrides;
  after: (stack: string) => Overrides;
  means: EditMeaning;
  /** The docs/operations.md procedure this edit backs. */
  procedure: string;
}

const on =
  (...profiles: string[]) =>
  (stack: string) =>
    profiles.includes(profileOf(stack));
const everywhere = () => true;

function postgresVersion(stack: string, version: string): Overrides {
  const entries: [string, unknown][] = [["postgres.version", version]];
  if (profileOf(stack) === "docker")
    entries.push(["docker.postgres.image", imageFor(stack, "postgres", "postgres", version)]);
  if (profileOf(stack) === "kubernetes")
    entries.push(["kubernetes.postgres.imageName", `ghcr.io/cloudnative-pg/postgresql:${version}-standard-trixie`]);
  return settings(stack, entries);
}

function valkeyVersion(stack: string, version: string, elastiCache: string): Overrides {
  const entries: [string, unknown][] = [["valkey.version", version]];
  if (profileOf(stack) === "docker")
    entries.push(["docker.valkey.image", imageFor(stack, "valkey/valkey", "valkey", `${version}-alpine`)]);
  if (profileOf(stack) === "kubernetes")
    entries.push(["kubernetes.valkey.image", `docker.io/valkey/valkey:${version}`]);
  if (profileOf(stack) === "aws") entries.push(["aws.valkey.engineVersion", elastiCache]);
  return settings(stack, entries);
}

function rustfsVersion(stack: string, tag: string): Overrides {
  const platform = profileOf(stack);
  return settings(stack, [
    [
      `${platform}.objectStore.image`,
      platform === "docker" ? imageFor(stack, "rustfs/rustfs", "rustfs", tag) : `docker.io/rustfs/rustfs:${tag}`,
    ],
  ]);
}

const READ_GRANT = { service: "notify", schema: "scheduler" };
const OPTIONAL = "evidence-locker";

export const DAY_TWO_EDITS: readonly DayTwoEdit[] = [
  {
    id: "postgres-minor",
    title: "PostgreSQL minor version bump (18.1 → 18.2)",
    appliesTo: everywhere,
    after: (s) => postgresVersion(s, "18.2"),
    means: {},
    procedure: "upgrade-postgresql",
  },
  {
    id: "postgres-major",
    title: "PostgreSQL major version bump (18.1 → 19.1)",
    appliesTo: on("docker", "kubernetes", "aws"),
    after: (s) => postgresVersion(s, "19.1"),
    means: { majorUpgrade: true },
    procedure: "upgrade-postgresql",
  },
  {
    id: "postgres-debian-release",
    title: "CloudNativePG operand image from the bullseye system tag (18.1) to the trixie default",
    appliesTo: on("kubernetes"),
    before: (s) => settings(s, [["kubernetes.postgres.imageName", "ghcr.io/cloudnative-pg/postgresql:18.1"]]),
    after: () => ({}),
    means: { hazards: ["postgres-image-debian-release-change"] },
    procedure: "move-postgresql-to-another-debian-release",
  },
  {
    id: "valkey-minor",
    title: "Valkey minor version bump (9.0.1 → 9.0.2; ElastiCache 8.1 → 8.1 stays)",
    appliesTo: everywhere,
    after: (s) => valkeyVersion(s, "9.0.2", "8.1"),
    means: {},
    procedure: "upgrade-valkey-rustfs-nats",
  },
  {
    id: "valkey-elasticache-major",
    title: "ElastiCache Valkey major version (7.2 → 8.1)",
    appliesTo: on("aws"),
    before: (s) => settings(s, [["aws.valkey.engineVersion", "7.2"]]),
    after: (s) => settings(s, [["aws.valkey.engineVersion", "8.1"]]),
    means: {},
    procedure: "upgrade-valkey-rustfs-nats",
  },
  {
    id: "rustfs-version",
    title: "RustFS image bump (1.0.0 → 1.0.1)",
    appliesTo: on("docker", "kubernetes"),
    after: (s) => rustfsVersion(s, "1.0.1"),
    means: {},
    procedure: "upgrade-valkey-rustfs-nats",
  },
  {
    id: "nats-version",
    title: "NATS version bump (2.12.1 → 2.12.2) on a stack running NATS",
    appliesTo: on("docker", "kubernetes"),
    before: (s) => natsToggle(s, true),
    after: (s) => {
      const image =
        profileOf(s) === "docker"
          ? imageFor(s, "nats", "nats", "2.12.2-alpine")
          : "docker.io/library/nats:2.12.2-alpine";
      return {
        ...natsToggle(s, true),
        ...settings(s, [
          ["nats.enabled", true],
          ["nats.version", "2.12.2"],
          [`${profileOf(s)}.nats.image`, image],
        ]),
      };
    },
    means: {},
    procedure: "upgrade-valkey-rustfs-nats",
  },
  {
    id: "resize",
    title: "Resize: instance/node class, memory, storage, replicas",
    appliesTo: everywhere,
    after: (s) => {
      switch (profileOf(s)) {
        case "aws":
          return settings(s, [
            ["aws.postgres.instanceClass", "db.r6g.large"],
            ["aws.postgres.allocatedStorageGb", 100],
            ["aws.valkey.nodeType", "cache.r7g.large"],
            ["aws.valkey.nodes", 3],
            ["valkey.maxmemory", "2gb"],
          ]);
        case "kubernetes":
          return settings(s, [
            ["kubernetes.postgres.instances", 2],
            ["kubernetes.postgres.storageSize", "40Gi"],
            ["kubernetes.valkey.storageSize", "20Gi"],
            ["kubernetes.valkey.replicas", 1],
            ["kubernetes.objectStore.storageSize", "40Gi"],
            ["valkey.maxmemory", "2gb"],
          ]);
        case "docker":
          return settings(s, [
            ["docker.postgres.shmSizeMb", 512],
            ["docker.postgres.maxConnections", 400],
            ["valkey.maxmemory", "2gb"],
          ]);
        default:
          return settings(s, [["postgres.roleDefaults.connectionLimit", 40]]);
      }
    },
    means: {},
    procedure: "resize",
  },
  {
    id: "add-optional-service",
    title: `Add an optional service (${OPTIONAL})`,
    appliesTo: everywhere,
    after: (s) => settings(s, [["services.optional", [OPTIONAL]]]),
    means: {},
    procedure: "add-a-service",
  },
  {
    id: "remove-optional-service",
    title: `Remove an optional service (${OPTIONAL})`,
    appliesTo: everywhere,
    before: (s) => settings(s, [["services.optional", [OPTIONAL]]]),
    after: (s) => settings(s, [["services.optional", []]]),
    // Its schemas, its owner role and what else holds its data leave the stack; the data stays where promised.
    means: { removes: /evidence_locker|evidence-locker/ },
    procedure: "remove-a-service",
  },
  {
    id: "nats-on",
    title: "Turn NATS on",
    appliesTo: on("docker", "kubernetes", "external"),
    before: (s) => natsToggle(s, false),
    after: (s) => natsToggle(s, true),
    means: {},
    procedure: "toggle-nats",
  },
  {
    id: "nats-off",
    title: "Turn NATS off",
    appliesTo: on("docker", "kubernetes", "external"),
    before: (s) => natsToggle(s, true),
    after: (s) => natsToggle(s, false),
    // The JetStream volume leaves the stack with NATS.
    means: { removes: /nats/ },
    procedure: "toggle-nats",
  },
  {
    id: "tags-labels",
    title: "Tags and labels",
    appliesTo: on("docker", "kubernetes", "aws"),
    after: (s) => {
      const platform = profileOf(s);
      return settings(s, [[platform === "aws" ? "aws.tags.team" : `${platform}.labels.team`, "platform"]]);
    },
    means: {},
    procedure: "resize",
  },
  {
    id: "docker-logs",
    title: "Docker log rotation: driver, size, files",
    appliesTo: on("docker"),
    after: (s) =>
      settings(s, [
        ["docker.logs.driver", "local"],
        ["docker.logs.maxSize", "100m"],
        ["docker.logs.maxFiles", 10],
      ]),
    // Every container is recreated (log settings are ForceNew); no volume may be.
    means: {},
    procedure: "docker-log-rotation",
  },
  {
    id: "protect-off",
    title: "protect on → off",
    appliesTo: everywhere,
    before: (s) => settings(s, [["protect", true]]),
    after: (s) => settings(s, [["protect", false]]),
    means: {},
    procedure: "destroy",
  },
  {
    id: "protect-on",
    title: "protect off → on",
    appliesTo: everywhere,
    before: (s) => settings(s, [["protect", false]]),
    after: (s) => settings(s, [["protect", true]]),
    means: {},
    procedure: "destroy",
  },
  {
    id: "read-grant-add",
    title: "A new read grant (notify reads scheduler)",
    appliesTo: everywhere,
    after: (s) => settings(s, [["postgres.readGrants", [READ_GRANT]]]),
    means: {},
    procedure: "add-a-service",
  },
  {
    id: "read-grant-remove",
    title: "Removing a read grant",
    appliesTo: everywhere,
    before: (s) => settings(s, [["postgres.readGrants", [READ_GRANT]]]),
    after: (s) => settings(s, [["postgres.readGrants", []]]),
    means: {},
    procedure: "remove-a-service",
  },
  {
    id: "move-extra-schema",
    title: "Move an extra schema to another service (item 11)",
    appliesTo: everywhere,
    before: (s) => settings(s, [["postgres.extraSchemas", [{ service: "scanner", schema: "scanner_cache" }]]]),
    after: (s) => settings(s, [["postgres.extraSchemas", [{ service: "policy", schema: "scanner_cache" }]]]),
    means: { hazards: ["schema-owner-change"] },
    procedure: "move-a-schema-to-another-service",
  },
  {
    id: "rename-database",
    title: "Rename postgres.database (item 11)",
    appliesTo: everywhere,
    after: (s) => settings(s, [["postgres.database", "stellaops_main"]]),
    // Every schema in the database is replaced: the diff must say so loudly, and name the hazard.
    means: { hazards: ["database-rename"], replaces: /schema/ },
    procedure: "rename-the-database",
  },
];
