import { CNPG_IMAGE_TAG_SOURCE } from "./imageDistribution";
import { postgresqlSource } from "./replacements/postgresql";
import type { UpdateHazard } from "./types";

/**
 * Updates the engine attempts in place that fail or damage data on a real platform. Each names the procedure
 * an operator follows instead (docs/operations.md).
 */

export const UPDATE_HAZARDS: readonly UpdateHazard[] = [
  {
    id: "schema-owner-change",
    match: { type: "postgresql:index/schema:Schema", paths: ["owner"] },
    reason:
      "`ALTER SCHEMA … OWNER TO` needs the admin to be a member of both roles (fails on RDS, whose master is no superuser), and even where it runs it leaves every table, sequence and function in the schema owned by the old role",
    procedure: "docs/operations.md#move-a-schema-to-another-service",
    source: postgresqlSource("resource_postgresql_schema.go", "setSchemaOwner (ALTER SCHEMA %s OWNER TO %s)"),
  },
  {
    id: "database-rename",
    match: { type: "postgresql:index/database:Database", paths: ["name"] },
    reason:
      "`ALTER DATABASE … RENAME TO` fails while any session is connected to it, and every schema and grant naming the database is replaced (`database` forces a new Schema): protected schemas stop the `up`, unprotected ones are dropped",
    procedure: "docs/operations.md#rename-the-database",
    source: postgresqlSource("resource_postgresql_database.go", "setDBName (ALTER DATABASE %s RENAME TO %s)"),
  },
  {
    id: "createrole-role-update",
    match: { type: "postgresql:index/role:Role", paths: [], onlyIf: { input: "createRole", equals: true } },
    reason:
      "the Role update revokes every membership the role holds before granting `roles` again: on RDS `REVOKE … FROM` the role fails (no possible grantors) once the service created roles itself; on a superuser it strips the service's ADMIN OPTION on its own roles (terraform-provider-postgresql issue 601)",
    procedure: "docs/postgres.md (CREATEROLE services)",
    source: postgresqlSource("resource_postgresql_role.go", "resourcePostgreSQLRoleUpdate → revokeRoles"),
  },
  {
    id: "rds-major-upgrade-flag",
    match: {
      type: "aws:rds/instance:Instance",
      paths: ["engineVersion"],
      onlyIf: { input: "allowMajorVersionUpgrade", equals: false },
      when: "majorVersionChange",
    },
    reason:
      "ModifyDBInstance refuses a new major engine version without AllowMajorVersionUpgrade, and the parameter group's family must change with it",
    procedure: "docs/operations.md#upgrade-postgresql",
    source: {
      repository: "hashicorp/terraform-provider-aws",
      ref: "v6 (schema of the same file)",
      file: "internal/service/rds/instance.go",
      symbol: "resourceInstanceUpdate (AllowMajorVersionUpgrade on ModifyDBInstanceInput)",
      note: "the AWS API's rule for ModifyDBInstance; not re-read here",
    },
  },
  {
    id: "postgres-major-change",
    match: {
      type: "command:local:Command",
      paths: ["environment.MAJOR"],
      when: "majorVersionChange",
    },
    reason:
      "the PostgreSQL major changes: the server's major-version guard fails `pulumi up` before the server is touched unless postgres.allowMajorUpgradeTo names the new major, and even then the data moves only by the platform's procedure (Docker: dump and restore into a new volume; CloudNativePG: offline in-place upgrade; RDS: a major engine upgrade with a new parameter group)",
    procedure: "docs/postgres.md#major-version-upgrades",
    source: {
      repository: "pulumi/pulumi-command",
      ref: "v1.2.1",
      file: "provider/pkg/provider/local/commandOutputs.go",
      symbol: "addPreviousOutputInEnv (PULUMI_COMMAND_STDOUT)",
      note: "the guard itself is components/postgres/majorGuard.ts: it prints the major it ran for and refuses another unless allowMajorUpgradeTo names it",
    },
  },
  {
    id: "postgres-image-debian-release-change",
    match: {
      type: "kubernetes:postgresql.cnpg.io/v1:Cluster",
      paths: ["spec.imageName"],
      when: "debianReleaseChange",
    },
    reason:
      "the operand image moves to another Debian release, and so to another glibc: CloudNativePG rolls every instance onto it with the data files as they are, and any index on text under a libc collation other than C or POSIX (a database created with postgres.locale, e.g. en_US.UTF-8) may now be sorted by other rules, so lookups silently miss rows and unique indexes let duplicates in until it is rebuilt",
    procedure: "docs/operations.md#move-postgresql-to-another-debian-release",
    source: CNPG_IMAGE_TAG_SOURCE,
  },
];
