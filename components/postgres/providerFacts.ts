/**
 * What the PostgreSQL provider does with a role, read from its source: the reasons behind the layout's design
 * (CREATEROLE logins outside postgresql.Role, SCRAM verifiers as passwords). Pure data; the integration tier
 * replays these statements on a real server (test/integration/providerStatements.ts).
 */

export interface UpstreamSource {
  readonly repository: string;
  readonly commit: string;
  readonly file: string;
  readonly function: string;
}

/**
 * @pulumi/postgresql 3.18.x bridges this commit: pulumi/pulumi-postgresql v3.18.0 and its later main
 * (provider/go.mod replaces the module with ../upstream; the submodule `upstream` is at this commit, and the only
 * patch, patches/0001-fix-import-path.patch, changes the Go import path).
 */
export const BRIDGED_PROVIDER = {
  repository: "cyrilgdn/terraform-provider-postgresql",
  commit: "ff936b9548c1076f498523a2bd116915ff977142",
  describe: "v1.26.0-3-gff936b9",
  bridgedBy: "pulumi/pulumi-postgresql v3.18.0 (upstream submodule), @pulumi/postgresql 3.18.1",
} as const;

const roleFile = (fn: string): UpstreamSource => ({
  repository: BRIDGED_PROVIDER.repository,
  commit: BRIDGED_PROVIDER.commit,
  file: "postgresql/resource_postgresql_role.go",
  function: fn,
});

export interface ProviderFact {
  readonly id: string;
  readonly fact: string;
  readonly source: UpstreamSource;
}

export const ROLE_FACTS: readonly ProviderFact[] = [
  {
    id: "role-update-revokes-memberships",
    fact:
      "Every update of a postgresql.Role, whatever attribute changed, runs `REVOKE <r> FROM <role>` for every role r " +
      "the role is a member of (read from pg_auth_members), then `GRANT` for its `roles` input only. A login with " +
      "CREATEROLE is a member WITH ADMIN OPTION of each role it created (PostgreSQL 16+, grantor: the bootstrap " +
      "superuser): for an admin without SUPERUSER and without ADMIN OPTION on those roles (RDS's master) the REVOKE fails " +
      "with `no possible grantors`; on a superuser it removes the membership and its ADMIN OPTION. " +
      "(resource_postgresql_role.go is unchanged between v1.26.0 and this commit.)",
    source: roleFile("resourcePostgreSQLRoleUpdate → revokeRoles, grantRoles"),
  },
  {
    id: "role-read-lists-memberships",
    fact:
      "Read sets `roles` from pg_auth_members WHERE member = the role, so after a refresh the roles a CREATEROLE " +
      "login created show as drift against an empty `roles` input, and the next up updates the role.",
    source: roleFile("resourcePostgreSQLRoleReadImpl"),
  },
  {
    id: "role-password-create-verbatim",
    fact:
      "Create sends the `password` input verbatim: `CREATE ROLE … ENCRYPTED PASSWORD '<value>'` (pqQuoteLiteral " +
      "only). The provider never hashes it; PostgreSQL stores a value already in SCRAM-SHA-256 form as it is.",
    source: roleFile("resourcePostgreSQLRoleCreate"),
  },
  {
    id: "role-password-update-on-change",
    fact:
      "Update runs `ALTER ROLE … PASSWORD '<value>'` only when `password` (or `name`) changed: a stable verifier " +
      "sends no password statement at all.",
    source: roleFile("setRolePassword"),
  },
  {
    id: "role-password-read",
    fact:
      "Read with `superuser: false` keeps the state's password. With `superuser: true` it reads pg_shadow.passwd " +
      "and, when the state value starts with `SCRAM-SHA-256` or `md5`, keeps what the server returns: the verifier " +
      "we sent, unchanged, so no diff. (A plaintext in state is kept unchecked when the server holds SCRAM.)",
    source: roleFile("readRolePassword"),
  },
  {
    id: "role-delete",
    fact:
      "Delete runs, in the provider's database (`postgres` here): REASSIGN OWNED BY <role> TO <admin>, DROP OWNED " +
      "BY <role>, DROP ROLE <role>; the DROP fails while the role owns objects in other databases (its schemas).",
    source: roleFile("resourcePostgreSQLRoleDelete"),
  },
];

/** The prefix readRolePassword recognises as an already-hashed password (so it compares with pg_shadow as is). */
export const PROVIDER_HASHED_PASSWORD_PREFIX = "SCRAM-SHA-256";
