import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { appSchemaOf, SERVICES } from "../catalog";
import {
  awsWindow,
  chartSource,
  distinctItems,
  imageRef,
  kubernetesObjectName,
  majorOf,
  port,
  secretString,
  storageQuantity,
  version,
} from "../settingsCommon";
import {
  databaseNameProblem,
  extensionNameProblem,
  IDENTIFIER_RULE,
  identifierProblem,
  INT4_MAX,
  MAX_IDENTIFIER_BYTES,
  POSTGRES_VERSION_FLOOR,
  roleNameProblem,
  schemaNameProblem,
} from "./identifiers";

/**
 * PostgreSQL settings: `stellaops-infra:postgres` (the layout, every platform) and the platform blocks
 * `docker.postgres`, `kubernetes.postgres`, `aws.postgres`, `external.postgres`. Pure: no Pulumi.
 * Every field has a default except an existing server's host and admin password.
 */

/** A string PostgreSQL accepts as this kind of name: the rule is identifiers.ts's, its message names the value. */
const checkedName = (problem: (name: string) => string | undefined) =>
  z.string({ error: `must be a PostgreSQL identifier: ${IDENTIFIER_RULE}` }).superRefine((name, ctx) => {
    const message = problem(name);
    if (message) ctx.addIssue({ code: "custom", message });
  });

/** A lowercase identifier: names that must also exist in the layout, which model.ts checks. */
export const pgIdentifier = checkedName((name) => identifierProblem(name));

/** A layout database: not one of the server's maintenance databases. */
const databaseName = checkedName(databaseNameProblem);
/** A schema handed to a service; its `<schema>_app` helper must fit in an identifier too. */
const ownedSchemaName = checkedName((name) =>
  schemaNameProblem(name, MAX_IDENTIFIER_BYTES - (appSchemaOf(name).length - name.length)),
);

const SERVICE_IDS = SERVICES.map((s) => s.id) as [string, ...string[]];
const serviceId = z.enum(SERVICE_IDS, { error: `must be a StellaOps service id, one of: ${SERVICE_IDS.join(", ")}` });

// PostgreSQL stores both as int4: CONNECTION LIMIT takes -1 (no limit) to 2147483647, statement_timeout 0 (off) to
// 2147483647 ms (identifiers.ts RULE_SOURCES).
const CONNECTION_LIMIT_RULE = `must be -1 (no limit) or a whole number of connections from 0 to ${INT4_MAX}`;
const connectionLimit = z
  .number({ error: CONNECTION_LIMIT_RULE })
  .int({ error: CONNECTION_LIMIT_RULE })
  .min(-1, { error: CONNECTION_LIMIT_RULE })
  .max(INT4_MAX, { error: CONNECTION_LIMIT_RULE });

const STATEMENT_TIMEOUT_RULE = `must be 0 (no timeout) or a whole number of milliseconds up to ${INT4_MAX} (about 24.8 days)`;
const statementTimeoutMs = z
  .number({ error: STATEMENT_TIMEOUT_RULE })
  .int({ error: STATEMENT_TIMEOUT_RULE })
  .min(0, { error: STATEMENT_TIMEOUT_RULE })
  .max(INT4_MAX, { error: STATEMENT_TIMEOUT_RULE });

const postgresVersion = version.refine((v) => majorOf(v) >= POSTGRES_VERSION_FLOOR, {
  // Only a well-formed version has a major to compare.
  when: (payload) => payload.issues.length === 0,
  error: `must be PostgreSQL ${POSTGRES_VERSION_FLOOR} or later: StellaOps supports ${POSTGRES_VERSION_FLOOR}+, and the CREATEROLE logins here rely on PostgreSQL ${POSTGRES_VERSION_FLOOR}'s ADMIN OPTION rules`,
});

const flag = z.boolean({ error: "must be true or false" });

/** What every service role gets unless `serviceOverrides.<service>` says otherwise. */
const roleDefaults = z.strictObject({
  /** Concurrent connections per role; -1 = limited only by the server's max_connections. */
  connectionLimit: connectionLimit.default(-1),
  /** Role-level statement_timeout in ms; 0 leaves it unset (services run their migrations under it too). */
  statementTimeoutMs: statementTimeoutMs.default(0),
  /** CREATEROLE (Authority's migrations may create roles themselves): off unless a service asks for it. */
  createRole: flag.default(false),
  /** TEMPORARY on the database (temp tables, e.g. for bulk COPY merges). */
  temporaryTables: flag.default(true),
});

const serviceOverride = z.strictObject({
  connectionLimit: connectionLimit.optional(),
  statementTimeoutMs: statementTimeoutMs.optional(),
  createRole: flag.optional(),
  temporaryTables: flag.optional(),
  /** search_path for the role; default: its schemas, their `_app` helpers, then public. */
  /** Checked against the layout (its own schemas, schemas it may read, public) in model.ts. */
  searchPath: distinctItems(pgIdentifier).min(1, { error: "must list at least one schema" }).optional(),
});

/** Run the cross-field extension check whenever the extensions parsed, so it is reported with the rest. */
const extensionsWellFormed = {
  when: (payload: z.core.ParsePayload) =>
    !payload.issues.some((issue) => {
      const field = issue.path?.[0];
      return field === undefined || field === "extensions";
    }),
};

export const postgresSettings = z
  .strictObject({
    /** PostgreSQL major.minor; StellaOps's 2026 reference stack runs 18.1, supported floor 16. */
    version: postgresVersion.default("18.1"),
    /**
     * The major a major upgrade goes to, e.g. 19 with `version: "19.0"`: without it, `pulumi up` refuses a change of
     * the running major (majorGuard.ts). Must equal version's major; remove it once the upgrade is done.
     */
    allowMajorUpgradeTo: z
      .number({ error: "must be a PostgreSQL major version number, e.g. 19" })
      .int({ error: "must be a whole PostgreSQL major version number, e.g. 19" })
      .min(16, { error: "must be 16 or later (StellaOps's supported floor)" })
      .optional(),
    /** Main database holding one schema per service. */
    database: databaseName.default("stellaops"),
    /**
     * Services that live in a database of their own instead of `database`, e.g. `{ authority: "stellaops_authority" }`
     * (StellaOps's compose supports a dedicated Authority database).
     */
    serviceDatabases: z.partialRecord(serviceId, databaseName).default({}),
    /** Login role name per service; `{service}` is the service id with `-` replaced by `_`. */
    roleNamePattern: z
      .string({ error: 'must be a role name pattern containing {service}, e.g. "stellaops_{service}"' })
      .regex(/^([a-z_][a-z0-9_]*)?\{service\}[a-z0-9_]*$/, {
        error: 'must contain {service} once, with only a-z, 0-9 and _ around it, e.g. "stellaops_{service}"',
      })
      .default("stellaops_{service}"),
    roleDefaults: roleDefaults.prefault({}),
    /** Per-service role settings: connectionLimit, statementTimeoutMs, createRole, temporaryTables, searchPath. */
    serviceOverrides: z.partialRecord(serviceId, serviceOverride).default({}),
    /**
     * Explicit cross-service read access: `{ service: "notify", schema: "scheduler" }` lets notify's role read
     * (SELECT, nothing else) every table in scheduler, including tables created later. Nothing else crosses.
     */
    readGrants: z.array(z.strictObject({ service: serviceId, schema: pgIdentifier })).default([]),
    /** Further schemas owned by a service (each with its `_app` helper schema too). */
    extraSchemas: z.array(z.strictObject({ service: serviceId, schema: ownedSchemaName })).default([]),
    /** Extensions created by the admin, e.g. `{ name: "pgcrypto" }`; database defaults to `database`. */
    extensions: z
      .array(
        z.strictObject({
          name: checkedName(extensionNameProblem),
          schema: pgIdentifier.default("public"),
          database: pgIdentifier.optional(),
        }),
      )
      .default([]),
    /** LC_COLLATE / LC_CTYPE for new databases; the server's default locale when absent. */
    locale: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: 'must be a locale name such as "C.UTF-8" or "en_US.UTF-8"' })
      .optional(),
  })
  .superRefine((settings, ctx) => {
    // Each extension is one postgresql.Extension named after its database and name: one twice is one URN twice.
    const seen = new Set<string>();
    settings.extensions.forEach((ext, i) => {
      const database = ext.database ?? settings.database;
      const id = `${database}/${ext.name}`;
      if (seen.has(id)) {
        ctx.addIssue({
          code: "custom",
          message: `extension "${ext.name}" is listed twice for database ${database}; list each once`,
          path: ["extensions", i],
        });
      }
      seen.add(id);
    });
  }, extensionsWellFormed);
export type PostgresSettings = z.infer<typeof postgresSettings>;

const sharedBuffers = z
  .string({ error: 'must be a PostgreSQL memory size such as "256MB"' })
  .regex(/^\d+(kB|MB|GB|TB)$/, { error: 'must be a PostgreSQL memory size such as "256MB" or "2GB" (kB, MB, GB, TB)' });

const maxConnections = z
  .number({ error: "must be a whole number of connections (10-10000)" })
  .int({ error: "must be a whole number of connections (10-10000)" })
  .min(10, { error: "must be at least 10" })
  .max(10000, { error: "must be at most 10000" });

const k8sName = (max: number) =>
  z.string().regex(new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`), {
    error: `must be a Kubernetes name: lowercase letters, digits and -, at most ${max} characters`,
  });

/** `stellaops-infra:docker.postgres` */
export const postgresDockerSettings = z.strictObject({
  /** Pinned image; digest-pinned from the mirror on sealed stacks. Keep its major equal to postgres.version's. */
  image: imageRef.default("postgres:18.1"),
  /** Host port, published on the platform's bindAddress. */
  hostPort: port.default(5432),
  maxConnections: maxConnections.default(200),
  sharedBuffers: sharedBuffers.default("256MB"),
  /** /dev/shm size in MB (parallel query workers use it; Docker's default 64 MB is small). */
  shmSizeMb: z.number().int().min(64, { error: "must be at least 64 (MB)" }).default(256),
});
export type PostgresDockerSettings = z.infer<typeof postgresDockerSettings>;

/** `stellaops-infra:kubernetes.postgres` */
export const postgresKubernetesSettings = z.strictObject({
  /**
   * CloudNativePG operand image (pinned); also runs the layout Job's psql unless layoutJobImage is set. `standard`
   * (not `minimal`): it carries every locale, which postgres.locale may name. Trixie: the current Debian stable; the
   * bare `18.1` tag is the deprecated bullseye `system` image (cloudnative-pg/postgres-containers README.md).
   */
  imageName: imageRef.default("ghcr.io/cloudnative-pg/postgresql:18.1-standard-trixie"),
  instances: z.number().int().min(1).max(9, { error: "must be 1-9 instances" }).default(1),
  /** Name of the CloudNativePG Cluster (and prefix of its Services `<name>-rw`, Secrets and the layout Job). */
  clusterName: k8sName(40).default("stellaops-postgres"),
  storageSize: storageQuantity.default("20Gi"),
  /** Storage class for the data volumes; the platform's storageClass (then the cluster default) when absent. */
  storageClass: kubernetesObjectName.optional(),
  maxConnections: maxConnections.default(200),
  sharedBuffers: sharedBuffers.default("256MB"),
  /** Install the CloudNativePG operator from its Helm chart (off when the cluster already runs it). */
  operator: z
    .strictObject({
      install: flag.default(false),
      chartSource: chartSource.default({
        repository: "https://cloudnative-pg.github.io/charts",
        chart: "cloudnative-pg",
        version: "0.27.0",
      }),
      namespace: k8sName(63).default("cnpg-system"),
      /** Extra chart values, e.g. the operator image from a mirror. */
      values: z.record(z.string(), z.unknown()).default({}),
    })
    .prefault({}),
  /** Image with psql for the layout Job; defaults to imageName. */
  layoutJobImage: imageRef.optional(),
  /** Bound on the layout Job: retries and wall-clock seconds. */
  layoutJobBackoffLimit: z.number().int().min(0).max(20).default(4),
  layoutJobDeadlineSeconds: z.number().int().min(30).default(900),
});
export type PostgresKubernetesSettings = z.infer<typeof postgresKubernetesSettings>;

/** `stellaops-infra:aws.postgres` */
export const postgresAwsSettings = z
  .strictObject({
    /** RDS instance identifier; `<namePrefix>-postgres` when absent. Changing it replaces the instance. */
    identifier: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "must be an RDS identifier: lowercase letters, digits and -" })
      .optional(),
    instanceClass: z
      .string()
      .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS class such as "db.t4g.medium"' })
      .default("db.t4g.medium"),
    allocatedStorageGb: z.number().int().min(20, { error: "must be at least 20 (GB)" }).default(50),
    /** Storage autoscaling ceiling in GB; 0 turns autoscaling off. */
    maxAllocatedStorageGb: z.number().int().min(0).default(200),
    storageType: z.enum(["gp3", "gp2", "io1", "io2"], { error: "must be gp3, gp2, io1 or io2" }).default("gp3"),
    multiAz: flag.default(true),
    /** Days of automated backups (point-in-time recovery); StellaOps documents 30. */
    backupRetentionDays: z
      .number()
      .int()
      .min(1, { error: "must be 1-35 days" })
      .max(35, { error: "must be 1-35 days" })
      .default(30),
    deletionProtection: flag.default(true),
    /** Take a final snapshot when the instance is deleted. */
    skipFinalSnapshot: flag.default(false),
    /** Name of that final snapshot; `<identifier>-final` when absent. */
    finalSnapshotIdentifier: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,254}$/)
      .optional(),
    masterUsername: checkedName(roleNameProblem).default("stellaops_admin"),
    /** When on, engineVersion is the major only and RDS applies minor upgrades in the maintenance window. */
    autoMinorVersionUpgrade: flag.default(true),
    /** Apply modifications now instead of in the next maintenance window. */
    applyImmediately: flag.default(false),
    performanceInsights: flag.default(false),
    /** Daily backup window (UTC); RDS needs at least 30 minutes. */
    backupWindow: awsWindow("daily", 30).optional(),
    /** Weekly maintenance window (UTC); RDS needs at least 30 minutes. */
    maintenanceWindow: awsWindow("weekly", 30).optional(),
    /** rds.force_ssl=1: clients must use TLS. */
    forceSsl: flag.default(true),
    /** Further parameter-group parameters (applied at the next reboot), e.g. `{ "log_min_duration_statement": "2000" }`. */
    parameters: z.record(z.string().regex(/^[a-z_.]+$/, { error: "must be a parameter name" }), z.string()).default({}),
    cloudwatchLogsExports: z
      .array(z.enum(["postgresql", "upgrade", "iam-db-auth-error"]))
      .default(["postgresql", "upgrade"]),
    port: port.default(5432),
    /** Where this program's PostgreSQL provider reaches RDS (a tunnel or bastion); the RDS endpoint when absent. */
    adminHost: z.string().min(1).optional(),
    adminPort: port.optional(),
  })
  .superRefine((rds, ctx) => {
    // RDS refuses a storage-autoscaling ceiling at or below the allocated storage (ModifyDBInstance, MaxAllocatedStorage).
    if (rds.maxAllocatedStorageGb > 0 && rds.maxAllocatedStorageGb <= rds.allocatedStorageGb) {
      ctx.addIssue({
        code: "custom",
        message: `must be above allocatedStorageGb (${rds.allocatedStorageGb}), or 0 to turn storage autoscaling off`,
        path: ["maxAllocatedStorageGb"],
      });
    }
  });
export type PostgresAwsSettings = z.infer<typeof postgresAwsSettings>;

/** `stellaops-infra:external.postgres`: an existing server. */
export const postgresExternalSettings = z.strictObject({
  host: z.string({ error: "required: the existing server's host name" }).min(1, { error: "must not be empty" }),
  port: port.default(5432),
  adminUsername: z.string().min(1).default("postgres"),
  adminPassword: secretString,
  /** Connect with TLS (sslmode=require; `SSL Mode=Require` in the services' connection strings). */
  tls: flag.default(true),
  /** Whether adminUsername is a real superuser; leave false for managed servers (RDS, Cloud SQL, Azure). */
  adminIsSuperuser: flag.default(false),
  /** Where this program reaches the server, when that differs from where the services do (a tunnel). */
  adminHost: z.string().min(1).optional(),
  adminPort: port.optional(),
});

/** The external block as the components receive it: the config loader hands secrets over as Outputs. */
export type PostgresExternalSettings = Omit<z.infer<typeof postgresExternalSettings>, "adminPassword"> & {
  readonly adminPassword: pulumi.Input<string>;
};
