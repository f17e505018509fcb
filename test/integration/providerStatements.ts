import type { Client } from "pg";
import { BRIDGED_PROVIDER } from "../../components/postgres/providerFacts";

/**
 * The statements @pulumi/postgresql issues for each resource operation, as fixture functions that run them on a
 * real server the way the provider does (one transaction per operation, on a connection to the resource's
 * database, as the provider's admin). Transcribed from terraform-provider-postgresql at the commit the SDK
 * bridges (BRIDGED_PROVIDER); each function names the file and function it follows. Only the paths the layout
 * uses (our inputs: no role memberships, no database owner, no schema policies, objects: [] for tables).
 * Quoting follows the provider: pq.QuoteIdentifier for names, pqQuoteLiteral (doubles ' and \) for literals.
 */

export const PROVIDER_SOURCE = `${BRIDGED_PROVIDER.repository}@${BRIDGED_PROVIDER.commit.slice(0, 7)}`;

export interface ProviderSession {
  /** A new connection as the provider's admin to `database` (the provider's own database is `postgres`). */
  connect(database: string): Promise<Client>;
  /** The provider's `username` (what REASSIGN OWNED and the database OWNER name). */
  readonly admin: string;
  /** Every statement run, in order (for assertions on what an operation did). */
  readonly log: string[];
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** helpers.go pqQuoteLiteral. */
const literal = (value: string): string => value.replace(/\\/g, "\\\\").replace(/'/g, "''");

async function exec(session: ProviderSession, client: Client, sql: string, params: unknown[] = []) {
  session.log.push(sql);
  return client.query(sql, params);
}

/** helpers.go startTransaction + Commit (deferredRollback on error). */
async function inTransaction(
  session: ProviderSession,
  database: string,
  fn: (client: Client) => Promise<void>,
): Promise<void> {
  const client = await session.connect(database);
  try {
    await client.query("BEGIN");
    try {
      await fn(client);
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK");
      throw e;
    }
  } finally {
    await client.end();
  }
}

/** helpers.go pgLockRole. */
async function lockRole(session: ProviderSession, c: Client, role: string): Promise<void> {
  await exec(session, c, "SET statement_timeout = 0");
  await exec(session, c, "SELECT pg_advisory_xact_lock(oid::bigint) FROM pg_roles WHERE rolname = $1", [role]);
  await exec(
    session,
    c,
    "SELECT pg_advisory_xact_lock(member::bigint) FROM pg_auth_members JOIN pg_roles ON roleid = pg_roles.oid WHERE rolname = $1",
    [role],
  );
}

/** helpers.go pgLockDatabase. */
async function lockDatabase(session: ProviderSession, c: Client, database: string): Promise<void> {
  await exec(session, c, "SET statement_timeout = 0");
  await exec(session, c, "SELECT pg_advisory_xact_lock(oid::bigint) FROM pg_database WHERE datname = $1", [database]);
}

/** helpers.go isMemberOfRole (PostgreSQL 16+: pg_auth_members.set_option exists, so SET is what counts). */
async function isMemberOfRole(c: Client, role: string, member: string): Promise<boolean> {
  const r = await c.query(
    "SELECT 1 FROM pg_auth_members WHERE pg_get_userbyid(roleid) = $1 AND pg_get_userbyid(member) = $2 AND set_option",
    [role, member],
  );
  return r.rowCount !== 0;
}

/** helpers.go grantRoleMembership / revokeRoleMembership. */
async function grantMembership(s: ProviderSession, c: Client, role: string, member: string): Promise<boolean> {
  if (member === role || (await isMemberOfRole(c, role, member))) return false;
  await exec(s, c, `GRANT ${ident(role)} TO ${ident(member)}`);
  return true;
}
async function revokeMembership(s: ProviderSession, c: Client, role: string, member: string): Promise<boolean> {
  if (member === role || !(await isMemberOfRole(c, role, member))) return false;
  await exec(s, c, `REVOKE ${ident(role)} FROM ${ident(member)}`);
  return true;
}

/** helpers.go withRolesGranted: a non-superuser admin temporarily becomes a member of the roles it acts for. */
async function withRolesGranted(
  s: ProviderSession,
  c: Client,
  roles: readonly string[],
  fn: () => Promise<void>,
): Promise<void> {
  if (roles.length === 0) return fn();
  const current = (await c.query<{ u: string }>("SELECT CURRENT_USER AS u")).rows[0].u;
  const isSuper = async (role: string) =>
    (await c.query<{ s: boolean }>("SELECT rolsuper AS s FROM pg_roles WHERE rolname = $1", [role])).rows[0].s;
  if (await isSuper(current)) return fn();
  const granted: string[] = [];
  const revoked: string[] = [];
  for (const role of roles) {
    if (await isSuper(role)) continue;
    if (await revokeMembership(s, c, current, role)) revoked.push(role);
    if (await grantMembership(s, c, role, current)) granted.push(role);
  }
  await fn();
  for (const role of granted) await revokeMembership(s, c, role, current);
  for (const role of revoked) {
    const exists = await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (exists.rowCount !== 0) await grantMembership(s, c, current, role);
  }
}

/** The Role inputs the layout sets (database.ts). */
export interface ProviderRole {
  readonly name: string;
  readonly password: string;
  readonly connectionLimit: number;
  /** 0 = unset. */
  readonly statementTimeout: number;
  readonly searchPath: readonly string[];
  readonly createRole: boolean;
}

/** resource_postgresql_role.go alterSearchPath (always run, on create and on every update). */
async function alterSearchPath(s: ProviderSession, c: Client, role: ProviderRole): Promise<void> {
  const path = role.searchPath.length > 0 ? role.searchPath.map(ident).join(", ") : "DEFAULT";
  await exec(s, c, `ALTER ROLE ${ident(role.name)} SET search_path TO ${path}`);
}

/** resource_postgresql_role.go setStatementTimeout (only when statement_timeout changed). */
async function setStatementTimeout(s: ProviderSession, c: Client, role: ProviderRole): Promise<void> {
  await exec(
    s,
    c,
    role.statementTimeout !== 0
      ? `ALTER ROLE ${ident(role.name)} SET statement_timeout TO ${role.statementTimeout}`
      : `ALTER ROLE ${ident(role.name)} RESET statement_timeout`,
  );
}

/** resource_postgresql_role.go resourcePostgreSQLRoleCreate (in the provider's database). */
export async function roleCreate(s: ProviderSession, role: ProviderRole): Promise<void> {
  await inTransaction(s, "postgres", async (c) => {
    const options = [
      "ENCRYPTED",
      `PASSWORD '${literal(role.password)}'`,
      "VALID UNTIL 'infinity'",
      `CONNECTION LIMIT ${role.connectionLimit}`,
      "NOSUPERUSER",
      "NOCREATEDB",
      role.createRole ? "CREATEROLE" : "NOCREATEROLE",
      "INHERIT",
      "LOGIN",
      "NOBYPASSRLS",
      "NOREPLICATION",
    ];
    await exec(s, c, `CREATE ROLE ${ident(role.name)} WITH ${options.join(" ")}`);
    // grantRoles: the layout gives no `roles`.
    await alterSearchPath(s, c, role);
    if (role.statementTimeout !== 0) await setStatementTimeout(s, c, role);
  });
}

/**
 * resource_postgresql_role.go resourcePostgreSQLRoleUpdate: the attribute setters for what changed, then
 * revokeRoles (EVERY membership the role holds, whatever changed) and grantRoles (the `roles` input: none here).
 */
export async function roleUpdate(s: ProviderSession, before: ProviderRole, after: ProviderRole): Promise<void> {
  await inTransaction(s, "postgres", async (c) => {
    const name = ident(after.name);
    await lockRole(s, c, before.name);
    if (after.password !== before.password) {
      await exec(s, c, `ALTER ROLE ${name} PASSWORD '${literal(after.password)}'`);
    }
    if (after.connectionLimit !== before.connectionLimit) {
      await exec(s, c, `ALTER ROLE ${name} CONNECTION LIMIT ${after.connectionLimit}`);
    }
    if (after.createRole !== before.createRole) {
      await exec(s, c, `ALTER ROLE ${name} WITH ${after.createRole ? "CREATEROLE" : "NOCREATEROLE"}`);
    }
    const memberships = await exec(
      s,
      c,
      `SELECT pg_get_userbyid(roleid) AS role FROM pg_catalog.pg_auth_members members
        JOIN pg_catalog.pg_roles ON members.member = pg_roles.oid WHERE rolname = $1`,
      [after.name],
    );
    for (const { role } of memberships.rows as { role: string }[]) {
      await exec(s, c, `REVOKE ${ident(role)} FROM ${name}`);
    }
    await alterSearchPath(s, c, after);
    if (after.statementTimeout !== before.statementTimeout) await setStatementTimeout(s, c, after);
  });
}

/** resource_postgresql_role.go resourcePostgreSQLRoleDelete (skip_reassign_owned and skip_drop_role false). */
export async function roleDelete(s: ProviderSession, name: string): Promise<void> {
  await inTransaction(s, "postgres", async (c) => {
    await lockRole(s, c, name);
    await withRolesGranted(s, c, [name], async () => {
      await exec(s, c, `REASSIGN OWNED BY ${ident(name)} TO ${ident(s.admin)}`);
      await exec(s, c, `DROP OWNED BY ${ident(name)}`);
    });
    await exec(s, c, `DROP ROLE ${ident(name)}`);
  });
}

/** resource_postgresql_database.go createDatabase (no owner input: the admin owns it; not in a transaction). */
export async function databaseCreate(s: ProviderSession, name: string): Promise<void> {
  const c = await s.connect("postgres");
  try {
    await exec(
      s,
      c,
      `CREATE DATABASE ${ident(name)} OWNER ${ident(s.admin)} TEMPLATE "template0" ENCODING 'UTF8'  ALLOW_CONNECTIONS true CONNECTION LIMIT -1 IS_TEMPLATE false`,
    );
  } finally {
    await c.end();
  }
}

export interface ProviderSchema {
  readonly database: string;
  readonly name: string;
  readonly owner: string;
}

/** resource_postgresql_schema.go resourcePostgreSQLSchemaCreate → createSchema (if_not_exists defaults to true). */
export async function schemaCreate(s: ProviderSession, schema: ProviderSchema): Promise<void> {
  await inTransaction(s, schema.database, async (c) => {
    const dbOwner = (
      await c.query<{ rolname: string }>(
        "SELECT rolname FROM pg_database JOIN pg_roles ON datdba = pg_roles.oid WHERE datname = $1",
        [schema.database],
      )
    ).rows[0].rolname;
    const roles = schema.owner !== dbOwner ? [dbOwner, schema.owner] : [dbOwner];
    await withRolesGranted(s, c, roles, async () => {
      const found = await c.query("SELECT TRUE FROM pg_catalog.pg_namespace WHERE nspname = $1", [schema.name]);
      await exec(
        s,
        c,
        found.rowCount === 0
          ? `CREATE SCHEMA IF NOT EXISTS ${ident(schema.name)} AUTHORIZATION ${ident(schema.owner)}`
          : `ALTER SCHEMA ${ident(schema.name)} OWNER TO ${ident(schema.owner)}`,
      );
    });
  });
}

/** resource_postgresql_schema.go resourcePostgreSQLSchemaDelete (drop_cascade false: RESTRICT). */
export async function schemaDelete(s: ProviderSession, schema: ProviderSchema): Promise<void> {
  await inTransaction(s, schema.database, async (c) => {
    const exists = await c.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema.name]);
    if (exists.rowCount === 0) return;
    await withRolesGranted(s, c, [schema.owner], async () => {
      await exec(s, c, `DROP SCHEMA ${ident(schema.name)} RESTRICT`);
    });
  });
}

export interface ProviderGrant {
  readonly database: string;
  readonly objectType: "database" | "schema" | "table";
  readonly role: string;
  readonly schema?: string;
  readonly privileges: readonly string[];
}

/** resource_postgresql_grant.go getRolesToGrant (+ resolveOwners for pg_database_owner). */
async function grantOwners(c: Client, grant: ProviderGrant): Promise<string[]> {
  if (grant.objectType === "database") return [];
  const owners =
    grant.objectType === "schema"
      ? []
      : (
          await c.query<{ o: string }>("SELECT DISTINCT tableowner AS o FROM pg_tables WHERE schemaname = $1", [
            grant.schema,
          ])
        ).rows.map((r) => r.o);
  const schemaOwner = (
    await c.query<{ o: string }>(
      "SELECT rolname AS o FROM pg_namespace JOIN pg_roles ON nspowner = pg_roles.oid WHERE nspname = $1",
      [grant.schema],
    )
  ).rows[0].o;
  if (!owners.includes(schemaOwner)) owners.push(schemaOwner);
  const dbOwner = (
    await c.query<{ o: string }>(
      "SELECT rolname AS o FROM pg_database JOIN pg_roles ON datdba = pg_roles.oid WHERE datname = current_database()",
    )
  ).rows[0].o;
  return owners.map((o) => (o === "pg_database_owner" ? dbOwner : o));
}

/** resource_postgresql_grant.go createRevokeQuery (objects: [] → ALL … IN SCHEMA). */
function revokeQuery(grant: ProviderGrant): string {
  const role = ident(grant.role);
  if (grant.objectType === "database") return `REVOKE ALL PRIVILEGES ON DATABASE ${ident(grant.database)} FROM ${role}`;
  if (grant.objectType === "schema") return `REVOKE ALL PRIVILEGES ON SCHEMA ${ident(grant.schema ?? "")} FROM ${role}`;
  return `REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA ${ident(grant.schema ?? "")} FROM ${role}`;
}

/** resource_postgresql_grant.go createGrantQuery. */
function grantQuery(grant: ProviderGrant): string {
  const privileges = grant.privileges.join(",");
  const role = ident(grant.role);
  if (grant.objectType === "database") return `GRANT ${privileges} ON DATABASE ${ident(grant.database)} TO ${role}`;
  if (grant.objectType === "schema") return `GRANT ${privileges} ON SCHEMA ${ident(grant.schema ?? "")} TO ${role}`;
  return `GRANT ${privileges} ON ALL TABLES IN SCHEMA ${ident(grant.schema ?? "")} TO ${role}`;
}

/** resource_postgresql_grant.go resourcePostgreSQLGrantCreateOrUpdate: revoke everything, grant the privileges. */
export async function grantCreate(s: ProviderSession, grant: ProviderGrant): Promise<void> {
  await inTransaction(s, grant.database, async (c) => {
    await lockRole(s, c, grant.role);
    if (grant.objectType === "database") await lockDatabase(s, c, grant.database);
    await withRolesGranted(s, c, await grantOwners(c, grant), async () => {
      await exec(s, c, revokeQuery(grant));
      if (grant.privileges.length > 0) await exec(s, c, grantQuery(grant));
    });
  });
}

/** resource_postgresql_grant.go resourcePostgreSQLGrantDelete. */
export async function grantDelete(s: ProviderSession, grant: ProviderGrant): Promise<void> {
  await inTransaction(s, grant.database, async (c) => {
    await lockRole(s, c, grant.role);
    if (grant.objectType === "database") await lockDatabase(s, c, grant.database);
    await withRolesGranted(s, c, await grantOwners(c, grant), async () => {
      await exec(s, c, revokeQuery(grant));
    });
  });
}

export interface ProviderDefaultPrivileges {
  readonly database: string;
  readonly owner: string;
  readonly schema: string;
  readonly role: string;
  readonly privileges: readonly string[];
}

/** resource_postgresql_default_privileges.go Create (revokeRoleDefaultPrivileges, grantRoleDefaultPrivileges). */
export async function defaultPrivilegesCreate(s: ProviderSession, d: ProviderDefaultPrivileges): Promise<void> {
  await inTransaction(s, d.database, async (c) => {
    await lockRole(s, c, d.owner);
    await withRolesGranted(s, c, [d.owner], async () => {
      const target = `FOR ROLE ${ident(d.owner)} IN SCHEMA ${ident(d.schema)}`;
      await exec(s, c, `ALTER DEFAULT PRIVILEGES ${target} REVOKE ALL ON TABLES FROM ${ident(d.role)}`);
      await exec(
        s,
        c,
        `ALTER DEFAULT PRIVILEGES ${target} GRANT ${d.privileges.join(",")} ON TABLES TO ${ident(d.role)}`,
      );
    });
  });
}

/** resource_postgresql_extension.go resourcePostgreSQLExtensionCreate. */
export async function extensionCreate(
  s: ProviderSession,
  ext: { database: string; name: string; schema: string },
): Promise<void> {
  await inTransaction(s, ext.database, async (c) => {
    await exec(s, c, `CREATE EXTENSION IF NOT EXISTS ${ident(ext.name)} SCHEMA ${ident(ext.schema)}`);
  });
}

/** resource_postgresql_default_privileges.go resourcePostgreSQLDefaultPrivilegesDelete (revokeRoleDefaultPrivileges). */
export async function defaultPrivilegesDelete(s: ProviderSession, d: ProviderDefaultPrivileges): Promise<void> {
  await inTransaction(s, d.database, async (c) => {
    await lockRole(s, c, d.owner);
    await withRolesGranted(s, c, [d.owner], async () => {
      await exec(
        s,
        c,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(d.owner)} IN SCHEMA ${ident(d.schema)} REVOKE ALL ON TABLES FROM ${ident(d.role)}`,
      );
    });
  });
}
