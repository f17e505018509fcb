import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appSchemaOf } from "../../components/catalog";
import { buildLayout } from "../../components/postgres/model";
import { SettingsError } from "../../components/settingsProblem";
import { postgresSettings } from "../../components/postgres/settings";
import { parseStackConfig } from "../../profiles/config";
import { configProblems } from "../harness/configProblems";
import { exampleStacks, readStackConfig } from "../../plan/stackFiles";

/**
 * What the config accepts for PostgreSQL, PostgreSQL accepts: names, limits and versions the server (or the
 * platform's own roles and databases) would refuse are refused when the config loads, each at its key, all at once.
 * test/integration/postgresIdentifiers.test.ts proves the accepted boundaries on a real PostgreSQL 18.
 */

const NS = "stellaops-infra";
const INT4_MAX = 2147483647;

// Every key secret, so the plaintext-secret rule stays out of these PostgreSQL cases.
const problemsOf = (values: Record<string, unknown>) => configProblems(values, { isSecretKey: () => true });

const docker = (postgres: Record<string, unknown>) => problemsOf({ profile: "docker", postgres });

const awsNetwork = {
  region: "eu-west-1",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  allowedCidrs: ["10.0.0.0/16"],
};
const externalServers = (adminUsername: string) => ({
  postgres: { host: "db.internal", adminPassword: "pw-0123456789", adminUsername },
  valkey: { host: "cache.internal", adminPassword: "pw-0123456789" },
  objectStore: { endpoint: "https://s3.internal:9000", accessKey: "stellaops", secretKey: "pw-0123456789" },
});

describe("PostgreSQL refusals at config load", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "role names under PostgreSQL's reserved pg_ prefix",
      { roleNamePattern: "pg_{service}" },
      `${NS}:postgres.roleNamePattern: "pg_{service}" gives a bad role name for service authority: "pg_authority" starts with pg_, which PostgreSQL reserves for its own roles`,
    ],
    [
      "a connection limit above int4",
      { roleDefaults: { connectionLimit: INT4_MAX + 1 } },
      `${NS}:postgres.roleDefaults.connectionLimit: must be -1 (no limit) or a whole number of connections from 0 to 2147483647`,
    ],
    [
      "a connection limit below -1",
      { serviceOverrides: { scanner: { connectionLimit: -2 } } },
      `${NS}:postgres.serviceOverrides.scanner.connectionLimit: must be -1 (no limit) or a whole number of connections from 0 to 2147483647`,
    ],
    [
      "a statement timeout above int4",
      { serviceOverrides: { scanner: { statementTimeoutMs: INT4_MAX + 1 } } },
      `${NS}:postgres.serviceOverrides.scanner.statementTimeoutMs: must be 0 (no timeout) or a whole number of milliseconds up to 2147483647`,
    ],
    [
      "a negative statement timeout",
      { roleDefaults: { statementTimeoutMs: -1 } },
      `${NS}:postgres.roleDefaults.statementTimeoutMs: must be 0 (no timeout)`,
    ],
    [
      "the postgres maintenance database as the main database",
      { database: "postgres" },
      `${NS}:postgres.database: "postgres" is a maintenance database every server has (postgres, template0, template1)`,
    ],
    [
      "template1 as a service database",
      { serviceDatabases: { authority: "template1" } },
      `${NS}:postgres.serviceDatabases.authority: "template1" is a maintenance database every server has (postgres, template0, template1); the layout needs a database of its own (template1 would also copy every schema into each new database)`,
    ],
    [
      "template0 as the main database",
      { database: "template0" },
      `${NS}:postgres.database: "template0" is a maintenance database`,
    ],
    [
      "a database name longer than PostgreSQL keeps",
      { database: "d".repeat(64) },
      `${NS}:postgres.database: "${"d".repeat(64)}" has 64 characters; at most 63 here (PostgreSQL truncates longer identifiers to 63)`,
    ],
    [
      "a version below the floor",
      { version: "15.8" },
      `${NS}:postgres.version: must be PostgreSQL 16 or later: StellaOps supports 16+`,
    ],
    [
      "a search_path entry that is another service's schema",
      { serviceOverrides: { notify: { searchPath: ["notify", "scanner"] } } },
      `${NS}:postgres.serviceOverrides.notify.searchPath[1]: "scanner" is not a schema notify can use; allowed: notify, notify_app, public`,
    ],
    [
      "a search_path entry that is no schema at all",
      { serviceOverrides: { scanner: { searchPath: ["$user", "public"] } } },
      `${NS}:postgres.serviceOverrides.scanner.searchPath[0]: "$user" is not a PostgreSQL identifier: lowercase letters a-z, digits and _`,
    ],
    [
      "a search_path entry listed twice",
      { serviceOverrides: { scanner: { searchPath: ["scanner", "scanner"] } } },
      `${NS}:postgres.serviceOverrides.scanner.searchPath[1]: "scanner" is listed twice; list each once`,
    ],
    [
      "the same extension twice in one database (once by default, once by name)",
      { extensions: [{ name: "pgcrypto" }, { name: "pgcrypto", database: "stellaops" }] },
      `${NS}:postgres.extensions[1]: extension "pgcrypto" is listed twice for database stellaops; list each once`,
    ],
    [
      "an extension name PostgreSQL refuses",
      { extensions: [{ name: "uuid--ossp" }] },
      `${NS}:postgres.extensions[0].name: "uuid--ossp" is not an extension name PostgreSQL accepts: no "--", and no "-" at the start or end`,
    ],
    [
      "an extra schema under the reserved pg_ prefix",
      { extraSchemas: [{ service: "scanner", schema: "pg_scanner" }] },
      `${NS}:postgres.extraSchemas[0].schema: "pg_scanner" starts with pg_, which PostgreSQL reserves for system schemas`,
    ],
    [
      "information_schema as an extra schema",
      { extraSchemas: [{ service: "scanner", schema: "information_schema" }] },
      `${NS}:postgres.extraSchemas[0].schema: "information_schema" is a schema every database already has`,
    ],
    [
      "an extra schema whose _app helper would overflow 63 characters",
      { extraSchemas: [{ service: "scanner", schema: "s".repeat(60) }] },
      `${NS}:postgres.extraSchemas[0].schema: "${"s".repeat(60)}" has 60 characters; at most 59 here`,
    ],
  ];
  it.each(cases)("refuses %s, naming the key", (_name, postgres, expected) => {
    const problems = docker(postgres);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it("refuses roles and databases the platform's server already has", () => {
    expect(
      problemsOf({
        profile: "aws",
        aws: { ...awsNetwork, postgres: { masterUsername: "stellaops_scanner" } },
        objectStore: { bucketPrefix: "acme-" },
      }),
    ).toEqual([
      `${NS}:aws.postgres.masterUsername: "stellaops_scanner" is both the RDS master user and the layout's login role for scanner (postgres.roleNamePattern); they must differ`,
    ]);
    expect(problemsOf({ profile: "external", external: externalServers("so_policy") })).toEqual([]);
    expect(
      problemsOf({
        profile: "external",
        external: externalServers("so_policy"),
        postgres: { roleNamePattern: "so_{service}" },
      }),
    ).toEqual([
      `${NS}:external.postgres.adminUsername: "so_policy" is both the admin user and the layout's login role for policy (postgres.roleNamePattern); they must differ`,
    ]);
    expect(
      problemsOf({
        profile: "kubernetes",
        kubernetes: { runsInCluster: true },
        postgres: { serviceDatabases: { authority: "app" } },
      }),
    ).toEqual([
      `${NS}:postgres.serviceDatabases: "app" is the database CloudNativePG's initdb creates and gives to its own "app" role; the layout needs a database of its own`,
    ]);
    expect(problemsOf({ profile: "docker", postgres: { database: "app" } })).toEqual([]);
  });

  it("reports every problem of the block at once", () => {
    const problems = docker({
      version: "14",
      database: "template1",
      roleNamePattern: "pg_{service}",
      roleDefaults: { connectionLimit: INT4_MAX + 1, statementTimeoutMs: INT4_MAX + 1 },
      extensions: [{ name: "citext" }, { name: "citext" }],
      extraSchemas: [{ service: "scanner", schema: "pg_cache" }],
    });
    expect(problems.map((p) => p.split(": ")[0]).sort()).toEqual(
      [
        "postgres.database",
        "postgres.extensions[1]",
        "postgres.extraSchemas[0].schema",
        "postgres.roleDefaults.connectionLimit",
        "postgres.roleDefaults.statementTimeoutMs",
        "postgres.version",
      ].map((k) => `${NS}:${k}`),
    );
    // The role name pattern needs the catalog: reported once the block parses, by the same loader.
    expect(docker({ roleNamePattern: "pg_{service}", serviceOverrides: { graph: {} } })).toHaveLength(2);
  });

  it("accepts the boundaries PostgreSQL accepts", () => {
    expect(
      problemsOf({
        profile: "docker",
        // The image must run the major postgres.version names (majorVersion.ts).
        docker: { postgres: { image: "postgres:16.10" } },
        postgres: {
          version: "16",
          database: "d".repeat(63),
          // orchestrator is the longest core service id: its role is exactly 63 characters.
          roleNamePattern: `${"r".repeat(63 - "orchestrator".length)}{service}`,
          roleDefaults: { connectionLimit: INT4_MAX, statementTimeoutMs: INT4_MAX },
          serviceOverrides: {
            scanner: { connectionLimit: -1, statementTimeoutMs: 0 },
            notify: { searchPath: ["notify", "scheduler", "public"] },
          },
          readGrants: [{ service: "notify", schema: "scheduler" }],
          extraSchemas: [{ service: "scanner", schema: "s".repeat(59) }],
          extensions: [{ name: "uuid-ossp" }, { name: "uuid-ossp", database: "stellaops_authority" }],
          serviceDatabases: { authority: "stellaops_authority" },
        },
      }),
    ).toEqual([]);
  });

  it("buildLayout still refuses what the loader reports, as a SettingsError", () => {
    const settings = postgresSettings.parse({ serviceOverrides: { notify: { searchPath: ["scanner"] } } });
    expect(() => buildLayout(settings)).toThrow(SettingsError);
    expect(() => buildLayout(settings)).toThrow(/^postgres\.serviceOverrides\.notify\.searchPath\[0\]: "scanner"/);
  });

  it("parses every example stack", () => {
    for (const stack of exampleStacks()) {
      const { config, secretKeys } = readStackConfig(stack);
      expect(() => parseStackConfig(config, stack, (key) => secretKeys.includes(key)), stack).not.toThrow();
    }
  });
});

/**
 * PostgreSQL's rules for the names this program creates, written out independently of identifiers.ts: a
 * lowercase identifier (NAMEDATALEN - 1 = 63 bytes, no case folding), roles not pg_* nor reserved, schemas not
 * pg_* nor a system schema, databases not a maintenance database.
 */
const bytes = (name: string) => Buffer.byteLength(name, "utf8");
const plainIdentifier = (name: string) => /^[a-z_][a-z0-9_]*$/.test(name) && bytes(name) <= 63;
const validRole = (name: string) =>
  plainIdentifier(name) &&
  !name.startsWith("pg_") &&
  !["public", "none", "current_user", "current_role", "session_user"].includes(name);
const validSchema = (name: string) =>
  plainIdentifier(name) && !name.startsWith("pg_") && !["public", "information_schema"].includes(name);
const validDatabase = (name: string) => plainIdentifier(name) && !["postgres", "template0", "template1"].includes(name);

describe("property: every name the config accepts is one PostgreSQL accepts", () => {
  // Near-miss names: the right alphabet plus the characters and prefixes that break the rules.
  const piece = fc.constantFrom("pg_", "_", "a", "z", "0", "9", "A", "-", "$", "é", " ", "public", "template1", "x");
  const name = fc.array(piece, { minLength: 0, maxLength: 40 }).map((parts) => parts.join(""));
  const longName = fc.integer({ min: 50, max: 70 }).map((n) => "n".repeat(n));
  const anyName = fc.oneof(name, longName, fc.constantFrom("none", "current_user", "postgres", "information_schema"));

  it("holds for role names, databases and extra schemas (and their _app helpers)", () => {
    fc.assert(
      fc.property(anyName, anyName, anyName, (prefix, database, schema) => {
        const postgres = {
          roleNamePattern: `${prefix}{service}`,
          database,
          extraSchemas: [{ service: "scanner", schema }],
        };
        const parsed = postgresSettings.safeParse(postgres);
        if (!parsed.success) return;
        let layout;
        try {
          layout = buildLayout(parsed.data);
        } catch (err) {
          if (err instanceof SettingsError) return;
          throw err;
        }
        for (const role of layout.roles) expect(validRole(role.name), role.name).toBe(true);
        for (const db of layout.databases) expect(validDatabase(db.name), db.name).toBe(true);
        const extra = layout.schemas.filter((s) => s.name === schema || s.name === appSchemaOf(schema));
        expect(extra).toHaveLength(2);
        for (const s of extra) expect(validSchema(s.name), s.name).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
