import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Client } from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildLayout, type PostgresLayout, type RoleSpec } from "../../components/postgres/model";
import { envNameFor, layoutJobCommand } from "../../components/postgres/layoutJob";
import { stableScramVerifier } from "../../components/postgres/scram";
import { postgresSettings } from "../../components/postgres/settings";
import { renderLayoutSql, scriptVariables } from "../../components/postgres/renderSql";
import { serverBinaryOrSkip, tempDir } from "../support/servers";
import { postgresServerBinariesOrSkip, PostgresTestServer } from "./postgresServer";

/**
 * The rendered layout script on a real PostgreSQL server: it converges, is idempotent, and the access it
 * produces is exactly what the layout says — each service alone in its schemas, explicit read grants and
 * nothing more, CONNECT only where due, connection limits and CREATEROLE as configured.
 */

const bin = postgresServerBinariesOrSkip();
const psqlPath = serverBinaryOrSkip("psql", "postgresql-client");

const INSUFFICIENT_PRIVILEGE = "42501";
const TOO_MANY_CONNECTIONS = "53300";

const settings = postgresSettings.parse({
  serviceDatabases: { authority: "stellaops_authority" },
  roleDefaults: { connectionLimit: 20, statementTimeoutMs: 60000 },
  serviceOverrides: {
    authority: { createRole: true },
    scanner: { connectionLimit: 3, statementTimeoutMs: 0 },
    policy: { temporaryTables: false },
  },
  readGrants: [{ service: "notify", schema: "scheduler" }],
  extraSchemas: [{ service: "scanner", schema: "scanner_cache" }],
  extensions: [{ name: "pgcrypto" }],
});
const layout = buildLayout(settings, ["evidence-locker"]);

/** SQLSTATE of a failed attempt, or "ok". */
async function outcome(attempt: Promise<unknown> | (() => Promise<unknown>)): Promise<string> {
  try {
    await (typeof attempt === "function" ? attempt() : attempt);
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe.skipIf(!bin || !psqlPath)(`layout script on a real PostgreSQL server (${bin?.source ?? "none"})`, () => {
  const server = new PostgresTestServer(bin as NonNullable<typeof bin>);
  const files = tempDir("postgres-scripts");
  const passwords: Record<string, string> = {};
  const variables: Record<string, string> = {};
  const clients: Client[] = [];
  let scriptPath = "";

  function writeScript(l: PostgresLayout, fileName: string): string {
    const path = join(files.path, fileName);
    writeFileSync(path, renderLayoutSql(l));
    return path;
  }

  /** A connection as a service role (plain password; the server holds only the SCRAM verifier). */
  async function connectAs(role: RoleSpec, database = role.database): Promise<Client> {
    const c = server.client({ user: role.name, password: passwords[role.name], database });
    await c.connect();
    clients.push(c);
    return c;
  }

  const roleOf = (service: string) => layout.roles.find((r) => r.service === service) as RoleSpec;

  beforeAll(async () => {
    await server.start();
    scriptPath = writeScript(layout, "layout.sql");
    for (const role of layout.roles) {
      passwords[role.name] = randomBytes(24).toString("base64url");
      // As the Kubernetes Job passes them: stable verifiers, never the plaintext.
      variables[role.passwordVariable] = stableScramVerifier(role.name, passwords[role.name]);
    }
  });

  // Sessions end with each test, so connection limits start from zero.
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.end()));
  });

  afterAll(async () => {
    await server.stop();
    files.remove();
  });

  /** Everything the script could change, from every database of the layout plus the cluster-wide catalogs. */
  async function catalogSnapshot(): Promise<unknown> {
    const q = (sql: string, database = "postgres") => server.query(sql, [], { database });
    const perDatabase: Record<string, unknown> = {};
    for (const db of layout.databases) {
      perDatabase[db.name] = {
        schemas: await q(
          "SELECT nspname, nspowner::regrole::text AS owner, nspacl::text AS acl FROM pg_namespace ORDER BY nspname",
          db.name,
        ),
        defaultAcls: await q(
          `SELECT defaclrole::regrole::text AS role, defaclnamespace::regnamespace::text AS schema, defaclobjtype,
                  defaclacl::text AS acl FROM pg_default_acl ORDER BY 1, 2, 3`,
          db.name,
        ),
        extensions: await q(
          "SELECT extname, extnamespace::regnamespace::text AS schema, extversion FROM pg_extension ORDER BY 1",
          db.name,
        ),
      };
    }
    return {
      roles: await q(
        `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,
                rolconnlimit, rolpassword, rolvaliduntil FROM pg_authid ORDER BY rolname`,
      ),
      memberships: await q(
        `SELECT roleid::regrole::text AS role, member::regrole::text AS member, to_jsonb(m) - 'oid' - 'roleid' - 'member' AS rest
           FROM pg_auth_members m ORDER BY 1, 2, 3::text`,
      ),
      roleSettings: await q(
        "SELECT setdatabase, setrole::regrole::text AS role, setconfig FROM pg_db_role_setting ORDER BY 1, 2",
      ),
      databases: await q(
        "SELECT datname, datdba::regrole::text AS owner, datacl::text AS acl, encoding, datconnlimit FROM pg_database ORDER BY 1",
      ),
      perDatabase,
    };
  }

  it("runs twice without error, and the second run changes nothing", async () => {
    server.psql(psqlPath as string, scriptPath, variables);
    const first = await catalogSnapshot();
    server.psql(psqlPath as string, scriptPath, variables);
    const second = await catalogSnapshot();
    expect(second).toEqual(first);
    // The layout is really there: every role, every schema with its owner.
    const roles = (await server.query<{ rolname: string }>("SELECT rolname FROM pg_roles")).map((r) => r.rolname);
    expect(roles).toEqual(expect.arrayContaining(layout.roles.map((r) => r.name)));
    for (const db of layout.databases) {
      const schemas = await server.query<{ nspname: string; owner: string }>(
        "SELECT nspname, nspowner::regrole::text AS owner FROM pg_namespace",
        [],
        { database: db.name },
      );
      for (const s of layout.schemas.filter((x) => x.database === db.name)) {
        expect(schemas).toContainEqual({ nspname: s.name, owner: s.owner });
      }
    }
  });

  it("runs exactly as the Kubernetes layout Job does (passwords from the environment), changing nothing on re-run", async () => {
    const before = await catalogSnapshot();
    const command = layoutJobCommand(scriptVariables(layout), scriptPath);
    const env: Record<string, string> = {
      PATH: `${dirname(psqlPath as string)}:${process.env.PATH ?? ""}`,
      PGHOST: server.host,
      PGPORT: String(server.port),
      PGUSER: server.superuser,
      PGPASSWORD: server.superuserPassword,
      PGDATABASE: "postgres",
      PGSSLMODE: "disable",
      ...Object.fromEntries(layout.roles.map((r) => [envNameFor(r.passwordVariable), variables[r.passwordVariable]])),
    };
    execFileSync(command[0], command.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
    expect(await catalogSnapshot()).toEqual(before);
    const scanner = roleOf("scanner");
    await expect(outcome(connectAs(scanner))).resolves.toBe("ok");
  });

  it("refuses to run without every password variable, before creating anything", () => {
    const other = buildLayout(
      postgresSettings.parse({ database: "never_created", roleNamePattern: "never_{service}" }),
    );
    const path = writeScript(other, "missing-variable.sql");
    const partial = Object.fromEntries(other.roles.slice(1).map((r) => [r.passwordVariable, "x"]));
    expect(() => server.psql(psqlPath as string, path, partial)).toThrow(/missing psql variable pw_authority/);
    return expect(server.query("SELECT 1 FROM pg_roles WHERE rolname LIKE 'never_%'")).resolves.toEqual([]);
  });

  it("lets each service role create tables with row-level security in its own schemas", async () => {
    for (const role of layout.roles) {
      const c = await connectAs(role);
      for (const schema of layout.schemas.filter((s) => s.owner === role.name)) {
        const t = `"${schema.name}".probe`;
        await c.query(`CREATE TABLE ${t} (id bigint GENERATED ALWAYS AS IDENTITY, tenant_id text NOT NULL, v text)`);
        await c.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
        await c.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
        await c.query(
          `CREATE POLICY tenant_isolation ON ${t} USING (tenant_id = current_setting('app.tenant_id', true))`,
        );
        await c.query(`SET app.tenant_id = 'a'`);
        await c.query(`INSERT INTO ${t} (tenant_id, v) VALUES ('a', 'visible')`);
        await c.query(`SET app.tenant_id = 'b'`);
        await c.query(`INSERT INTO ${t} (tenant_id, v) VALUES ('b', 'other tenant')`);
        await c.query(`SET app.tenant_id = 'a'`);
        const rows = (await c.query(`SELECT v FROM ${t}`)).rows;
        expect(rows, `${role.name} in ${schema.name}`).toEqual([{ v: "visible" }]);
        if (schema.helperOf) {
          await c.query(
            `CREATE FUNCTION "${schema.name}".require_tenant() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_setting('app.tenant_id') $$`,
          );
        }
      }
      // search_path puts the role's own schemas first.
      const [{ search_path }] = (await c.query("SHOW search_path")).rows;
      expect(search_path).toBe(role.searchPath.join(", "));
    }
  });

  it("denies every service role any access to other services' schemas and any creation in public", async () => {
    const denied: string[] = [];
    for (const role of layout.roles) {
      const c = await connectAs(role);
      const readable = new Set(layout.readGrants.filter((g) => g.role === role.name).map((g) => g.schema));
      const foreign = layout.schemas.filter((s) => s.database === role.database && s.owner !== role.name);
      for (const schema of foreign) {
        const t = `"${schema.name}".probe`;
        const attempts: Record<string, () => Promise<unknown>> = {
          insert: () => c.query(`INSERT INTO ${t} (tenant_id, v) VALUES ('a', 'intrusion')`),
          update: () => c.query(`UPDATE ${t} SET v = 'x'`),
          delete: () => c.query(`DELETE FROM ${t}`),
          create: () => c.query(`CREATE TABLE "${schema.name}".intruder (id int)`),
          ...(readable.has(schema.name) ? {} : { select: () => c.query(`SELECT * FROM ${t}`) }),
        };
        for (const [what, p] of Object.entries(attempts)) {
          const code = await outcome(p);
          if (code !== INSUFFICIENT_PRIVILEGE) denied.push(`${role.name} ${what} on ${schema.name}: ${code}`);
        }
      }
      const inPublic = await outcome(c.query("CREATE TABLE public.intruder (id int)"));
      if (inPublic !== INSUFFICIENT_PRIVILEGE) denied.push(`${role.name} create in public: ${inPublic}`);
    }
    expect(denied).toEqual([]);
  });

  it("lets a role connect only to its own database", async () => {
    const authority = roleOf("authority");
    const scanner = roleOf("scanner");
    await expect(outcome(connectAs(authority, "stellaops"))).resolves.toBe(INSUFFICIENT_PRIVILEGE);
    await expect(outcome(connectAs(scanner, "stellaops_authority"))).resolves.toBe(INSUFFICIENT_PRIVILEGE);
    // A login role outside the layout: PUBLIC's CONNECT is gone.
    await server.query("CREATE ROLE outsider LOGIN PASSWORD 'outsider-pw'");
    const outsider = server.client({ user: "outsider", password: "outsider-pw", database: "stellaops" });
    await expect(outcome(outsider.connect())).resolves.toBe(INSUFFICIENT_PRIVILEGE);
    await outsider.end().catch(() => undefined);
  });

  it("applies connection limits, statement timeouts, TEMPORARY and CREATEROLE exactly as configured", async () => {
    const roles = await server.query<{ rolname: string; rolconnlimit: number; rolcreaterole: boolean }>(
      "SELECT rolname, rolconnlimit, rolcreaterole FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname",
      [layout.roles.map((r) => r.name)],
    );
    const expected = layout.roles
      .map((r) => ({ rolname: r.name, rolconnlimit: r.connectionLimit, rolcreaterole: r.createRole }))
      .sort((a, b) => a.rolname.localeCompare(b.rolname));
    expect(roles).toEqual(expected);
    expect(roleOf("scanner").connectionLimit).toBe(3);
    expect(roleOf("notify").connectionLimit).toBe(20);

    // The limit is enforced: three scanner sessions, the fourth is refused.
    const scanner = roleOf("scanner");
    const sessions = [await connectAs(scanner), await connectAs(scanner), await connectAs(scanner)];
    await expect(outcome(connectAs(scanner))).resolves.toBe(TOO_MANY_CONNECTIONS);
    await Promise.all(sessions.map((s) => s.end()));

    const notify = await connectAs(roleOf("notify"));
    expect((await notify.query("SHOW statement_timeout")).rows[0].statement_timeout).toBe("1min");
    const policy = await connectAs(roleOf("policy"));
    expect((await policy.query("SHOW statement_timeout")).rows[0].statement_timeout).toBe("1min");
    await expect(outcome(policy.query("CREATE TEMP TABLE scratch (id int)"))).resolves.toBe(INSUFFICIENT_PRIVILEGE);
    await expect(outcome(notify.query("CREATE TEMP TABLE scratch (id int)"))).resolves.toBe("ok");

    const authority = await connectAs(roleOf("authority"));
    await expect(outcome(authority.query("CREATE ROLE authority_made_role NOLOGIN"))).resolves.toBe("ok");
    await expect(outcome(notify.query("CREATE ROLE notify_made_role NOLOGIN"))).resolves.toBe(INSUFFICIENT_PRIVILEGE);
  });

  it("gives an explicit read grant exactly read access, on later tables too, and nothing more", async () => {
    const scheduler = await connectAs(roleOf("scheduler"));
    const notify = await connectAs(roleOf("notify"));
    // Created by the owner after the script ran: covered by the default privileges.
    await scheduler.query("CREATE TABLE scheduler.runs (id int, tenant_id text)");
    await scheduler.query("INSERT INTO scheduler.runs VALUES (1, 'a')");
    expect((await notify.query("SELECT id FROM scheduler.runs")).rows).toEqual([{ id: 1 }]);
    const attempts = {
      insert: () => notify.query("INSERT INTO scheduler.runs VALUES (2, 'a')"),
      update: () => notify.query("UPDATE scheduler.runs SET id = 3"),
      delete: () => notify.query("DELETE FROM scheduler.runs"),
      truncate: () => notify.query("TRUNCATE scheduler.runs"),
      create: () => notify.query("CREATE TABLE scheduler.notify_table (id int)"),
      readHelperSchema: () => notify.query("SELECT * FROM scheduler_app.probe"),
      sequence: () => notify.query("SELECT nextval('scheduler.probe_id_seq')"),
    };
    for (const [what, p] of Object.entries(attempts)) {
      expect(await outcome(p), what).toBe(INSUFFICIENT_PRIVILEGE);
    }
    // Only notify got it.
    for (const role of layout.roles.filter(
      (r) => !["scheduler", "notify"].includes(r.service) && r.database === "stellaops",
    )) {
      const c = await connectAs(role);
      expect(await outcome(c.query("SELECT * FROM scheduler.runs")), role.name).toBe(INSUFFICIENT_PRIVILEGE);
    }

    // Re-running the script keeps it; dropping the grant from config and re-running takes it away again.
    server.psql(psqlPath as string, scriptPath, variables);
    expect((await notify.query("SELECT id FROM scheduler.runs")).rows).toEqual([{ id: 1 }]);
    const withoutGrant = buildLayout({ ...settings, readGrants: [] }, ["evidence-locker"]);
    server.psql(psqlPath as string, writeScript(withoutGrant, "without-grant.sql"), variables);
    expect(await outcome(notify.query("SELECT id FROM scheduler.runs"))).toBe(INSUFFICIENT_PRIVILEGE);
    await scheduler.query("CREATE TABLE scheduler.after_revoke (id int)");
    expect(await outcome(notify.query("SELECT id FROM scheduler.after_revoke"))).toBe(INSUFFICIENT_PRIVILEGE);
    // Restore, for the other tests' view of the layout.
    server.psql(psqlPath as string, scriptPath, variables);
  });
});

describe.skipIf(!bin || !psqlPath)("layout script run by an admin that is not a superuser (RDS-style)", () => {
  const server = new PostgresTestServer(bin as NonNullable<typeof bin>);
  const files = tempDir("postgres-rds-scripts");
  const adminPassword = randomBytes(18).toString("base64url");
  const rdsLayout = buildLayout(
    postgresSettings.parse({
      database: "rdsdb",
      roleNamePattern: "rds_{service}",
      serviceOverrides: { authority: { createRole: true } },
      readGrants: [{ service: "policy", schema: "vuln" }],
    }),
  );
  const passwords = Object.fromEntries(rdsLayout.roles.map((r) => [r.name, randomBytes(18).toString("base64url")]));
  const variables = Object.fromEntries(
    rdsLayout.roles.map((r) => [r.passwordVariable, stableScramVerifier(r.name, passwords[r.name])]),
  );

  beforeAll(async () => {
    await server.start();
    // What RDS gives its master user: CREATEDB and CREATEROLE, not SUPERUSER.
    await server.query(`CREATE ROLE rds_master LOGIN CREATEDB CREATEROLE PASSWORD '${adminPassword}'`);
  });

  afterAll(async () => {
    await server.stop();
    files.remove();
  });

  it("lays out the same way, and a second run changes nothing", async () => {
    const path = join(files.path, "layout.sql");
    writeFileSync(path, renderLayoutSql(rdsLayout));
    server.psql(psqlPath as string, path, variables, "rds_master", adminPassword);
    const snapshot = () =>
      Promise.all([
        server.query("SELECT rolname, rolcreaterole, rolconnlimit, rolpassword FROM pg_authid ORDER BY 1"),
        server.query("SELECT nspname, nspowner::regrole::text, nspacl::text FROM pg_namespace ORDER BY 1", [], {
          database: "rdsdb",
        }),
        server.query("SELECT datname, datacl::text FROM pg_database ORDER BY 1"),
        server.query(
          "SELECT defaclrole::regrole::text, defaclnamespace, defaclacl::text FROM pg_default_acl ORDER BY 1, 2",
          [],
          {
            database: "rdsdb",
          },
        ),
      ]);
    const first = await snapshot();
    server.psql(psqlPath as string, path, variables, "rds_master", adminPassword);
    expect(await snapshot()).toEqual(first);

    const owners = await server.query<{ nspname: string; owner: string }>(
      "SELECT nspname, nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = ANY($1)",
      [rdsLayout.schemas.map((s) => s.name)],
      { database: "rdsdb" },
    );
    expect(owners).toHaveLength(rdsLayout.schemas.length);
    for (const s of rdsLayout.schemas) expect(owners).toContainEqual({ nspname: s.name, owner: s.owner });

    // The roles work: the owner creates, the granted reader reads, a stranger is refused.
    const as = async (service: string) => {
      const role = rdsLayout.roles.find((r) => r.service === service) as RoleSpec;
      const c = server.client({ user: role.name, password: passwords[role.name], database: "rdsdb" });
      await c.connect();
      return c;
    };
    const [concelier, policy, scanner] = [await as("concelier"), await as("policy"), await as("scanner")];
    try {
      await concelier.query("CREATE TABLE vuln.advisories (id int)");
      await concelier.query("INSERT INTO vuln.advisories VALUES (7)");
      expect((await policy.query("SELECT id FROM vuln.advisories")).rows).toEqual([{ id: 7 }]);
      expect(await outcome(scanner.query("SELECT id FROM vuln.advisories"))).toBe(INSUFFICIENT_PRIVILEGE);
    } finally {
      await Promise.all([concelier.end(), policy.end(), scanner.end()]);
    }
  });
});
