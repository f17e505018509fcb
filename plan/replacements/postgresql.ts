import type * as postgresql from "@pulumi/postgresql";
import { fields } from "../fields";
import type { ReplacementRule, UpstreamSource } from "../types";

/**
 * cyrilgdn/terraform-provider-postgresql at the commit pulumi-postgresql's `upstream` submodule pins
 * (v1.26.0 plus 3 commits), bridged by @pulumi/postgresql.
 */
export const POSTGRESQL_UPSTREAM_REF = "ff936b9548c1076f498523a2bd116915ff977142";

export const postgresqlSource = (file: string, symbol: string): UpstreamSource => ({
  repository: "cyrilgdn/terraform-provider-postgresql",
  ref: POSTGRESQL_UPSTREAM_REF,
  file: `postgresql/${file}`,
  symbol,
  note: "upstream submodule of pulumi/pulumi-postgresql v3.18.0 (installed @pulumi/postgresql 3.18.1)",
});

export const POSTGRESQL_RULES: readonly ReplacementRule[] = [
  {
    type: "postgresql:index/database:Database",
    // name, owner, connection limit, allow_connections, is_template and tablespace are ALTER DATABASE updates.
    forceNew: fields<postgresql.DatabaseArgs>("template", "encoding", "lcCollate", "lcCtype"),
    source: postgresqlSource("resource_postgresql_database.go", "resourcePostgreSQLDatabase Schema (ForceNew)"),
  },
  {
    type: "postgresql:index/schema:Schema",
    // name (ALTER SCHEMA … RENAME), owner (ALTER SCHEMA … OWNER TO) and policies update in place.
    forceNew: fields<postgresql.SchemaArgs>("database"),
    source: postgresqlSource("resource_postgresql_schema.go", "resourcePostgreSQLSchema Schema (ForceNew)"),
  },
  {
    type: "postgresql:index/role:Role",
    // No ForceNew attribute: every change, the name included (ALTER ROLE … RENAME), is an update.
    forceNew: [],
    source: postgresqlSource("resource_postgresql_role.go", "resourcePostgreSQLRole Schema (no ForceNew)"),
  },
  {
    type: "postgresql:index/grant:Grant",
    // Only `privileges` updates (revoke and grant again in one transaction).
    forceNew: fields<postgresql.GrantArgs>(
      "role",
      "database",
      "schema",
      "objectType",
      "objects",
      "columns",
      "withGrantOption",
    ),
    source: postgresqlSource("resource_postgresql_grant.go", "resourcePostgreSQLGrant Schema (ForceNew)"),
  },
  {
    type: "postgresql:index/defaultPrivileges:DefaultPrivileges",
    forceNew: fields<postgresql.DefaultPrivilegesArgs>(
      "role",
      "database",
      "owner",
      "schema",
      "objectType",
      "withGrantOption",
    ),
    source: postgresqlSource(
      "resource_postgresql_default_privileges.go",
      "resourcePostgreSQLDefaultPrivileges Schema (ForceNew)",
    ),
  },
  {
    type: "postgresql:index/grantRole:GrantRole",
    forceNew: fields<postgresql.GrantRoleArgs>("role", "grantRole", "withAdminOption"),
    source: postgresqlSource("resource_postgresql_grant_role.go", "resourcePostgreSQLGrantRole Schema (ForceNew)"),
  },
];
