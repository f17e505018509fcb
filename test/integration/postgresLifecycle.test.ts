import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLayout, type PostgresLayout, type RoleSpec } from "../../components/postgres/model";
import { envNameFor } from "../../components/postgres/layoutJob";
import { loginCommandLine, PSQL_MISSING_MESSAGE } from "../../components/postgres/loginCommand";
import { stableScramVerifier } from "../../components/postgres/scram";
import { postgresSettings } from "../../components/postgres/settings";
import { renderLayoutSql, renderLoginRoleSql } from "../../components/postgres/renderSql";
import { serverBinaryOrSkip, tempDir } from "../support/servers";
import { postgresServerBinariesOrSkip, PostgresTestServer } from "./postgresServer";
import * as provider from "./providerStatements";

/**
 * A stack's life on a real PostgreSQL 18, through the statements the provider issues for each resource operation
 * (providerStatements.ts) and our psql command for the CREATEROLE login (loginCommand.ts): create → Authority
 * creates a role of its own → every role updated → an optional service removed → destroy with tables present.
 * Once as a superuser, once as an admin with only CREATEROLE CREATEDB (RDS's master; the provider then runs with
 * `superuser: false`). After every step Authority can still ALTER and DROP the role it created. Before the
 * day-two update, the old design (Authority's login as a postgresql.Role) is updated once, to show what it did.
 */

const bin = postgresServerBinariesOrSkip();
const psqlPath = serverBinaryOrSkip("psql", "postgresql-client");

const OPTIONAL = ["evidence-locker"];
const base = {
  serviceOverrides: { authority: { createRole: true } },
  readGrants: [
    { service: "notify", schema: "scheduler" },
    { service: "evidence-locker", schema: "scanner" },
  ],
  extensions: [{ name: "pgcrypto" }],
};
const created = postgresSettings.parse({ ...base, roleDefaults: { connectionLimit: 20, statementTimeoutMs: 0 } });
// Day two: every role's connection limit and statement timeout change, every password is rotated.
const updated = postgresSettings.parse({ ...base, roleDefaults: { connectionLimit: 30, statementTimeoutMs: 45000 } });
const AUTHORITY_OWN_ROLE = "authority_tenant_reader";

const INSUFFICIENT_PRIVILEGE = "42501";
const DEPENDENT_OBJECTS_STILL_EXIST = "2BP01";
const INVALID_PASSWORD = "28P01";

async function outcome(attempt: () => Promise<unknown>): Promise<string> {
  try {
    await attempt();
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

const ADMIN_KINDS = [
  { label: "a superuser", rdsLike: false },
  { label: "an admin without SUPERUSER (CREATEROLE CREATEDB, like RDS's master)", rdsLike: true },
] as const;

for (const kind of ADMIN_KINDS) {
  describe.skipIf(!bin || !psqlPath)(`PostgreSQL layout lifecycle as ${kind.label} (${bin?.source ?? "none"})`, () => {
    const server = new PostgresTestServer(bin as NonNullable<typeof bin>);
    const files = tempDir("postgres-lifecycle");
    const admin = kind.rdsLike ? "rds_master" : "postgres";
    const adminPassword = kind.rdsLike ? randomBytes(18).toString("base64url") : "";
    let session: provider.ProviderSession;
    /** Plaintext passwords per role name, as the services hold them (connection strings). */
    let passwords: Record<string, string> = {};
    const layoutCreated = buildLayout(created, OPTIONAL);
    const layoutUpdated = buildLayout(updated, OPTIONAL);
    const roleOf = (l: PostgresLayout, service: string) => l.roles.find((r) => r.service === service) as RoleSpec;
    const authority = roleOf(layoutCreated, "authority");

    const adminConfig = () => ({
      user: admin,
      password: kind.rdsLike ? adminPassword : server.superuserPassword,
    });

    beforeAll(async () => {
      await server.start();
      if (kind.rdsLike) {
        await server.query(`CREATE ROLE rds_master LOGIN CREATEDB CREATEROLE PASSWORD '${adminPassword}'`);
      }
      session = {
        admin,
        log: [],
        connect: async (database: string): Promise<Client> => {
          const c = server.client({ ...adminConfig(), database });
          await c.connect();
          return c;
        },
      };
    });

    afterAll(async () => {
      await server.stop();
      files.remove();
    });

    const newPasswords = (l: PostgresLayout) =>
      Object.fromEntries(l.roles.map((r) => [r.name, randomBytes(24).toString("base64url")]));
    const verifierOf = (role: RoleSpec) => stableScramVerifier(role.name, passwords[role.name]);

    /** The Role inputs database.ts sets for a role. */
    const providerRole = (role: RoleSpec, password = verifierOf(role)): provider.ProviderRole => ({
      name: role.name,
      password,
      connectionLimit: role.connectionLimit,
      statementTimeout: role.statementTimeoutMs,
      searchPath: role.searchPath,
      createRole: role.createRole,
    });

    /** What local.Command does: /bin/sh -c <create>, the script on stdin, the environment of loginEnvironment. */
    function runLoginCommand(role: RoleSpec, path = `${dirname(psqlPath as string)}:/usr/bin:/bin`) {
      return spawnSync("/bin/sh", ["-c", loginCommandLine(role)], {
        input: renderLoginRoleSql(role),
        encoding: "utf8",
        env: {
          PATH: path,
          PGHOST: server.host,
          PGPORT: String(server.port),
          PGUSER: admin,
          PGPASSWORD: adminConfig().password,
          PGDATABASE: "postgres",
          PGSSLMODE: "disable",
          PGCONNECT_TIMEOUT: "10",
          [envNameFor(role.passwordVariable)]: verifierOf(role),
        },
      });
    }

    function loginCommandOrThrow(role: RoleSpec): void {
      const result = runLoginCommand(role);
      if (result.status !== 0) throw new Error(`login command for ${role.name} failed: ${result.stderr}`);
    }

    /** The order of database.ts: roles, databases, schemas, then grants one at a time, extensions. */
    async function createLayout(l: PostgresLayout): Promise<void> {
      for (const role of l.roles) {
        if (role.createRole) loginCommandOrThrow(role);
        else await provider.roleCreate(session, providerRole(role));
      }
      for (const db of l.databases) await provider.databaseCreate(session, db.name);
      for (const s of l.schemas) await provider.schemaCreate(session, s);
      for (const db of l.databases) {
        await provider.grantCreate(session, {
          database: db.name,
          objectType: "database",
          role: "public",
          privileges: [],
        });
        await provider.grantCreate(session, {
          database: db.name,
          objectType: "schema",
          schema: "public",
          role: "public",
          privileges: ["USAGE"],
        });
      }
      for (const role of l.roles) await provider.grantCreate(session, connectGrant(role));
      for (const g of l.readGrants) {
        const common = { database: g.database, schema: g.schema, role: g.role };
        await provider.grantCreate(session, { ...common, objectType: "schema", privileges: ["USAGE"] });
        await provider.grantCreate(session, { ...common, objectType: "table", privileges: ["SELECT"] });
        await provider.defaultPrivilegesCreate(session, { ...common, owner: g.owner, privileges: ["SELECT"] });
      }
      for (const e of l.extensions) await provider.extensionCreate(session, e);
    }

    const connectGrant = (role: RoleSpec): provider.ProviderGrant => ({
      database: role.database,
      objectType: "database",
      role: role.name,
      privileges: role.temporaryTables ? ["CONNECT", "TEMPORARY"] : ["CONNECT"],
    });

    async function as<T>(role: RoleSpec, fn: (c: Client) => Promise<T>, password = passwords[role.name]): Promise<T> {
      const c = server.client({ user: role.name, password, database: role.database });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    }

    /** Authority, as itself, alters and drops the role it created (rolled back, so the role stays). */
    const authorityManagesItsRole = () =>
      outcome(() =>
        as(authority, async (c) => {
          await c.query("BEGIN");
          try {
            await c.query(`ALTER ROLE ${AUTHORITY_OWN_ROLE} CONNECTION LIMIT 3`);
            await c.query(`DROP ROLE ${AUTHORITY_OWN_ROLE}`);
          } finally {
            await c.query("ROLLBACK");
          }
        }),
      );

    const memberships = () =>
      server.query(
        `SELECT roleid::regrole::text AS role, member::regrole::text AS member, admin_option, grantor::regrole::text AS grantor
           FROM pg_auth_members WHERE member = $1::regrole ORDER BY 1`,
        [authority.name],
      );

    it("create: the layout through the provider's statements, Authority's login through psql; the server holds only verifiers", async () => {
      passwords = newPasswords(layoutCreated);
      await createLayout(layoutCreated);
      const stored = await server.query<{ rolname: string; rolpassword: string }>(
        "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)",
        [layoutCreated.roles.map((r) => r.name)],
      );
      expect(stored).toHaveLength(layoutCreated.roles.length);
      for (const role of layoutCreated.roles) {
        // Stored as sent: the verifier, never re-hashed; and the services' plaintext logs in against it.
        expect(stored.find((s) => s.rolname === role.name)?.rolpassword, role.name).toBe(verifierOf(role));
        await expect(
          as(role, (c) => c.query("SELECT 1")),
          role.name,
        ).resolves.toBeTruthy();
      }
      const everything = session.log.join("\n");
      for (const pw of Object.values(passwords)) expect(everything).not.toContain(pw);
      expect(
        (await server.query("SELECT rolcreaterole FROM pg_roles WHERE rolname = $1", [authority.name]))[0],
      ).toEqual({ rolcreaterole: true });

      // The login command again changes nothing (the layout's "re-run on update" is safe).
      const before = await server.query("SELECT * FROM pg_authid WHERE rolname = $1", [authority.name]);
      loginCommandOrThrow(authority);
      expect(await server.query("SELECT * FROM pg_authid WHERE rolname = $1", [authority.name])).toEqual(before);

      // Without psql on the deploy machine: a clear refusal, exit 127.
      const missing = runLoginCommand(authority, "/nonexistent");
      expect(missing.status).toBe(127);
      expect(missing.stderr).toContain(PSQL_MISSING_MESSAGE);
    });

    it("Authority, logged in as its own role, creates a role of its own (WITH ADMIN OPTION), and services create tables", async () => {
      await as(authority, (c) =>
        c.query(
          `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${AUTHORITY_OWN_ROLE}') THEN
             CREATE ROLE ${AUTHORITY_OWN_ROLE} NOLOGIN; END IF; END $$`,
        ),
      );
      expect(await memberships()).toEqual([
        { role: AUTHORITY_OWN_ROLE, member: authority.name, admin_option: true, grantor: "postgres" },
      ]);
      expect(await authorityManagesItsRole()).toBe("ok");
      for (const service of ["scanner", "evidence-locker", "authority"]) {
        const role = roleOf(layoutCreated, service);
        const schema = layoutCreated.schemas.find((s) => s.service === service && !s.helperOf)?.name as string;
        await as(role, (c) =>
          c.query(`CREATE TABLE "${schema}".records (id int); INSERT INTO "${schema}".records VALUES (1)`),
        );
      }
    });

    it("the old design (Authority's login as a postgresql.Role) breaks on its first update; restored afterwards", async () => {
      const before = providerRole(authority);
      const after = { ...before, connectionLimit: 25 };
      const failure = await provider.roleUpdate(session, before, after).then(
        () => undefined,
        (e: Error & { code?: string }) => e,
      );
      if (kind.rdsLike) {
        // REVOKE authority_tenant_reader FROM authority: the admin has no ADMIN OPTION on it, directly or inherited.
        expect(failure?.message).toMatch(/no possible grantors/);
        expect(await memberships()).toEqual([
          { role: AUTHORITY_OWN_ROLE, member: authority.name, admin_option: true, grantor: "postgres" },
        ]);
        expect(await authorityManagesItsRole()).toBe("ok");
      } else {
        // Succeeds, and silently takes away Authority's control of its own role.
        expect(failure).toBeUndefined();
        expect(await memberships()).toEqual([]);
        expect(await authorityManagesItsRole()).toBe(INSUFFICIENT_PRIVILEGE);
        // Put back what the update took (a superuser's grant records the bootstrap superuser, as the original).
        await server.query(`GRANT ${AUTHORITY_OWN_ROLE} TO ${authority.name} WITH ADMIN OPTION`);
        await server.query(`ALTER ROLE ${authority.name} CONNECTION LIMIT ${authority.connectionLimit}`);
        expect(await authorityManagesItsRole()).toBe("ok");
      }
    });

    it("update every role (connection limit, statement timeout, rotated password): Authority keeps control of its role", async () => {
      const previous = passwords;
      passwords = newPasswords(layoutUpdated);
      session.log.length = 0;
      for (const role of layoutUpdated.roles) {
        const before = roleOf(layoutCreated, role.service);
        if (role.createRole) loginCommandOrThrow(role);
        else {
          await provider.roleUpdate(
            session,
            providerRole(before, stableScramVerifier(before.name, previous[before.name])),
            providerRole(role),
          );
        }
      }
      // The provider's Role update revoked nothing: the other logins are members of no role.
      expect(session.log.filter((s) => /^REVOKE "/.test(s))).toEqual([]);
      const roles = await server.query<{ rolname: string; rolconnlimit: number; rolconfig: string[] }>(
        "SELECT rolname, rolconnlimit, rolconfig FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1",
        [layoutUpdated.roles.map((r) => r.name)],
      );
      for (const r of roles) {
        expect(r.rolconnlimit, r.rolname).toBe(30);
        expect(r.rolconfig, r.rolname).toContain("statement_timeout=45000");
      }
      for (const role of layoutUpdated.roles) {
        await expect(
          as(role, (c) => c.query("SELECT 1")),
          role.name,
        ).resolves.toBeTruthy();
        expect(await outcome(() => as(role, (c) => c.query("SELECT 1"), previous[role.name])), role.name).toBe(
          INVALID_PASSWORD,
        );
      }
      expect(await memberships()).toEqual([
        { role: AUTHORITY_OWN_ROLE, member: authority.name, admin_option: true, grantor: "postgres" },
      ]);
      expect(await authorityManagesItsRole()).toBe("ok");
    });

    it("the layout script (the Kubernetes Job) re-run as the admin never revokes a membership Authority holds", async () => {
      const script = renderLayoutSql(layoutUpdated);
      // Every REVOKE in it is of privileges ON something, never of a role.
      expect(script.split("\n").filter((l) => /^REVOKE /.test(l) && !/ ON /.test(l))).toEqual([]);
      const path = join(files.path, "layout.sql");
      writeFileSync(path, script);
      const variables = Object.fromEntries(layoutUpdated.roles.map((r) => [r.passwordVariable, verifierOf(r)]));
      server.psql(psqlPath as string, path, variables, admin, adminConfig().password);
      expect(await memberships()).toEqual([
        { role: AUTHORITY_OWN_ROLE, member: authority.name, admin_option: true, grantor: "postgres" },
      ]);
      expect(await authorityManagesItsRole()).toBe("ok");
    });

    it("remove an optional service: its grants are revoked, its role and schemas are retained with their tables", async () => {
      // The operator takes the service out of services.optional, and its read grant out of the config with it.
      const removed = buildLayout(
        { ...updated, readGrants: updated.readGrants.filter((g) => g.service !== "evidence-locker") },
        [],
      );
      const locker = roleOf(layoutUpdated, "evidence-locker");
      const gone = layoutUpdated.roles.filter((r) => !removed.roles.some((k) => k.name === r.name));
      expect(gone.map((r) => r.name)).toEqual([locker.name]);
      // What the engine deletes: its CONNECT grant and its read grant on scanner (schema USAGE, tables, future
      // tables). Role and schemas carry retainOnDelete (database.ts), so nothing is issued for them.
      const read = layoutUpdated.readGrants.find((g) => g.role === locker.name);
      if (!read) throw new Error("no read grant for the removed service");
      const common = { database: read.database, schema: read.schema, role: read.role };
      await provider.grantDelete(session, { ...common, objectType: "schema", privileges: ["USAGE"] });
      await provider.grantDelete(session, { ...common, objectType: "table", privileges: ["SELECT"] });
      await provider.defaultPrivilegesDelete(session, { ...common, owner: read.owner, privileges: ["SELECT"] });
      await provider.grantDelete(session, connectGrant(locker));
      const acl = await server.query<{ acl: string }>(
        `SELECT coalesce(nspacl::text, '') || ' ' || coalesce((SELECT string_agg(defaclacl::text, ' ') FROM pg_default_acl), '')
                || ' ' || coalesce((SELECT relacl::text FROM pg_class WHERE oid = 'scanner.records'::regclass), '') AS acl
           FROM pg_namespace WHERE nspname = 'scanner'`,
        [],
        { database: "stellaops" },
      );
      expect(acl[0].acl).not.toContain(locker.name);
      // Without retainOnDelete the Role's delete would run, and fail: the role owns the retained schemas.
      expect(await outcome(() => provider.roleDelete(session, locker.name))).toBe(DEPENDENT_OBJECTS_STILL_EXIST);
      expect(await server.query("SELECT 1 AS one FROM pg_roles WHERE rolname = $1", [locker.name])).toEqual([
        { one: 1 },
      ]);
      expect(await server.query("SELECT id FROM evidence_locker.records", [], { database: "stellaops" })).toEqual([
        { id: 1 },
      ]);
      expect(await outcome(() => as(locker, (c) => c.query("SELECT 1")))).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await authorityManagesItsRole()).toBe("ok");
    });

    it("destroy with tables present: schemas deleted one by one fail (RESTRICT), so they go with the server", async () => {
      const scanner = layoutUpdated.schemas.find((s) => s.name === "scanner");
      if (!scanner) throw new Error("no scanner schema");
      expect(await outcome(() => provider.schemaDelete(session, scanner))).toBe(DEPENDENT_OBJECTS_STILL_EXIST);
      expect(await server.query("SELECT id FROM scanner.records", [], { database: "stellaops" })).toEqual([{ id: 1 }]);
      // deletedWith the server (and retainOnDelete): the engine issues no delete for any layout resource, so
      // nothing else runs here; the data goes with the container, RDS instance or Cluster (afterAll).
      expect(await authorityManagesItsRole()).toBe("ok");
    });
  });
}
