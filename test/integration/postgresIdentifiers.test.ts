import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INT4_MAX } from "../../components/postgres/identifiers";
import { buildLayout } from "../../components/postgres/model";
import { stableScramVerifier } from "../../components/postgres/scram";
import { postgresSettings } from "../../components/postgres/settings";
import { quoteIdent, renderLayoutSql } from "../../components/postgres/renderSql";
import { serverBinaryOrSkip, tempDir } from "../support/servers";
import { postgresServerBinariesOrSkip, PostgresTestServer } from "./postgresServer";

/**
 * The boundary values the config accepts (components/postgres/identifiers.ts), laid out by the rendered script on a
 * real server: PostgreSQL stores each exactly as given (no truncated name, no clipped number), and one step past
 * each boundary it refuses.
 */

const bin = postgresServerBinariesOrSkip();
const psqlPath = serverBinaryOrSkip("psql", "postgresql-client");

// orchestrator is the longest core service id: its role name is exactly 63 characters.
const settings = postgresSettings.parse({
  database: "d".repeat(63),
  roleNamePattern: `${"r".repeat(63 - "orchestrator".length)}{service}`,
  roleDefaults: { connectionLimit: INT4_MAX, statementTimeoutMs: INT4_MAX },
  extraSchemas: [{ service: "scanner", schema: "s".repeat(59) }],
  extensions: [{ name: "uuid-ossp" }],
});
const layout = buildLayout(settings);

describe.skipIf(!bin || !psqlPath)(`accepted boundaries on a real PostgreSQL (${bin?.source ?? "none"})`, () => {
  const server = new PostgresTestServer(bin as NonNullable<typeof bin>);
  const files = tempDir("postgres-boundaries");

  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    files.remove();
  });

  it("stores the longest names and the int4 limits exactly, and refuses one step further", async () => {
    const script = join(files.path, "layout.sql");
    writeFileSync(script, renderLayoutSql(layout));
    const variables = Object.fromEntries(
      layout.roles.map((r) => [r.passwordVariable, stableScramVerifier(r.name, `pw-${r.service}`)]),
    );
    server.psql(psqlPath as string, script, variables);

    const longestRole = layout.roles.find((r) => r.service === "orchestrator")?.name as string;
    expect(longestRole).toHaveLength(63);
    const roles = await server.query<{ rolname: string; rolconnlimit: number; setconfig: string[] }>(
      `SELECT a.rolname, a.rolconnlimit, s.setconfig FROM pg_authid a
         JOIN pg_db_role_setting s ON s.setrole = a.oid AND s.setdatabase = 0 WHERE a.rolname = ANY($1)`,
      [layout.roles.map((r) => r.name)],
    );
    expect(roles.map((r) => r.rolname).sort()).toEqual(layout.roles.map((r) => r.name).sort());
    for (const role of roles) {
      expect(role.rolconnlimit).toBe(INT4_MAX);
      expect(role.setconfig).toContain(`statement_timeout=${INT4_MAX}`);
    }
    const database = layout.databases[0].name;
    expect(database).toHaveLength(63);
    const extra = ["s".repeat(59), `${"s".repeat(59)}_app`];
    const schemas = await server.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1",
      [extra],
      { database },
    );
    expect(schemas.map((s) => s.nspname)).toEqual(extra);
    expect(
      await server.query("SELECT extname FROM pg_extension WHERE extname = 'uuid-ossp'", [], { database }),
    ).toHaveLength(1);

    // One step past each boundary, the server refuses: what the config loader refuses is what PostgreSQL refuses.
    const refused = async (sql: string) => {
      try {
        await server.query(sql);
        return "accepted";
      } catch (err) {
        return (err as { code?: string }).code;
      }
    };
    const role = quoteIdent(longestRole);
    expect(await refused(`ALTER ROLE ${role} CONNECTION LIMIT ${INT4_MAX + 1}`)).toBe("42601");
    expect(await refused(`ALTER ROLE ${role} CONNECTION LIMIT -2`)).toBe("22023");
    expect(await refused(`ALTER ROLE ${role} SET statement_timeout TO ${INT4_MAX + 1}`)).toBe("22023");
    expect(await refused(`CREATE ROLE ${quoteIdent("pg_stellaops")}`)).toBe("42939");
    expect(await refused(`CREATE ROLE ${quoteIdent("none")}`)).toBe("42939");
    expect(await refused(`CREATE SCHEMA ${quoteIdent("pg_cache")}`)).toBe("42939");
    expect(await refused(`CREATE EXTENSION ${quoteIdent("uuid--ossp")}`)).toBe("22023");
  });
});
