import { describe, expect, it } from "vitest";
import { CORE_SERVICE_IDS } from "../../components/catalog";
import { buildLayout, postgresLayoutProblems, rolesWithoutAccess } from "../../components/postgres/model";
import { SettingsError } from "../../components/settingsProblem";
import {
  postgresAwsSettings,
  postgresDockerSettings,
  postgresExternalSettings,
  postgresKubernetesSettings,
  postgresSettings,
} from "../../components/postgres/settings";

const parse = (raw: unknown = {}) => postgresSettings.parse(raw);

describe("postgres settings", () => {
  it("parse {} with every default in place, for the common block and every platform block but external", () => {
    const s = parse();
    expect(s).toMatchObject({
      version: "18.1",
      database: "stellaops",
      roleNamePattern: "stellaops_{service}",
      roleDefaults: { connectionLimit: -1, statementTimeoutMs: 0, createRole: false, temporaryTables: true },
      readGrants: [],
      extraSchemas: [],
      extensions: [],
    });
    expect(postgresDockerSettings.parse({})).toMatchObject({ image: "postgres:18.1", hostPort: 5432 });
    expect(postgresKubernetesSettings.parse({}).operator).toMatchObject({
      install: false,
      chartSource: { repository: "https://cloudnative-pg.github.io/charts", chart: "cloudnative-pg" },
    });
    expect(postgresAwsSettings.parse({})).toMatchObject({
      multiAz: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      backupRetentionDays: 30,
      forceSsl: true,
    });
  });

  it("require an existing server's host and admin password, and nothing else", () => {
    const result = postgresExternalSettings.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join(".")).sort()).toEqual(["adminPassword", "host"]);
    expect(postgresExternalSettings.parse({ host: "db.internal", adminPassword: "x" })).toMatchObject({
      port: 5432,
      adminUsername: "postgres",
      tls: true,
      adminIsSuperuser: false,
    });
  });

  it("reject unknown services, bad identifiers and patterns with messages that say what is allowed", () => {
    const bad = postgresSettings.safeParse({
      database: "Stella-Ops",
      roleNamePattern: "svc",
      readGrants: [{ service: "gateway", schema: "scanner" }],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^database: "Stella-Ops" is not a PostgreSQL identifier: lowercase letters a-z/),
        expect.stringMatching(/^roleNamePattern: must contain \{service\}/),
        expect.stringMatching(/^readGrants\.0\.service: must be a StellaOps service id, one of: authority, scanner/),
      ]),
    );
  });
});

describe("postgres layout model", () => {
  it("gives each core service one login role owning its schemas and their _app helpers, in one database", () => {
    const layout = buildLayout(parse());
    expect(layout.databases).toEqual([{ name: "stellaops", services: CORE_SERVICE_IDS }]);
    expect(layout.roles.map((r) => r.name)).toEqual(CORE_SERVICE_IDS.map((id) => `stellaops_${id}`));
    const concelier = layout.schemas.filter((s) => s.service === "concelier");
    expect(concelier).toEqual([
      { name: "vuln", database: "stellaops", service: "concelier", owner: "stellaops_concelier" },
      { name: "vuln_app", database: "stellaops", service: "concelier", owner: "stellaops_concelier", helperOf: "vuln" },
    ]);
    expect(layout.roles.find((r) => r.service === "concelier")?.searchPath).toEqual(["vuln", "vuln_app", "public"]);
    expect(layout.readGrants).toEqual([]);
    expect(layout.roles.every((r) => !r.createRole)).toBe(true);
  });

  it("adds optional services only when enabled, with - turned into _ in identifiers", () => {
    expect(buildLayout(parse()).roles.some((r) => r.service === "evidence-locker")).toBe(false);
    const layout = buildLayout(parse({ roleNamePattern: "so_{service}_rw" }), ["evidence-locker"]);
    const role = layout.roles.find((r) => r.service === "evidence-locker");
    expect(role).toMatchObject({ name: "so_evidence_locker_rw", passwordVariable: "pw_evidence_locker" });
    expect(layout.schemas.filter((s) => s.owner === "so_evidence_locker_rw").map((s) => s.name)).toEqual([
      "evidence_locker",
      "evidence_locker_app",
    ]);
    expect(() => buildLayout(parse(), ["nosuch"])).toThrow(/unknown optional service/);
  });

  it("puts a service in its own database when asked, and only there", () => {
    const layout = buildLayout(parse({ serviceDatabases: { authority: "stellaops_authority" } }));
    expect(layout.databases.map((d) => d.name)).toEqual(["stellaops", "stellaops_authority"]);
    expect(layout.databases[1].services).toEqual(["authority"]);
    expect(layout.roles.find((r) => r.service === "authority")?.database).toBe("stellaops_authority");
    expect(layout.schemas.filter((s) => s.database === "stellaops_authority").map((s) => s.name)).toEqual([
      "authority",
      "authority_app",
    ]);
  });

  it("applies role defaults with per-service overrides", () => {
    const layout = buildLayout(
      parse({
        roleDefaults: { connectionLimit: 25, statementTimeoutMs: 30000 },
        serviceOverrides: {
          authority: { createRole: true },
          scanner: { connectionLimit: 80, searchPath: ["scanner", "public"], temporaryTables: false },
        },
      }),
    );
    const by = (id: string) => layout.roles.find((r) => r.service === id);
    expect(by("authority")).toMatchObject({ createRole: true, connectionLimit: 25, statementTimeoutMs: 30000 });
    expect(by("scanner")).toMatchObject({
      createRole: false,
      connectionLimit: 80,
      searchPath: ["scanner", "public"],
      temporaryTables: false,
    });
    expect(by("notify")).toMatchObject({ createRole: false, connectionLimit: 25, temporaryTables: true });
  });

  it("crosses service boundaries only through explicit read grants", () => {
    const layout = buildLayout(parse({ readGrants: [{ service: "notify", schema: "scheduler" }] }));
    expect(layout.readGrants).toEqual([
      {
        database: "stellaops",
        schema: "scheduler",
        owner: "stellaops_scheduler",
        service: "notify",
        role: "stellaops_notify",
      },
    ]);
    const scheduler = layout.schemas.find((s) => s.name === "scheduler");
    const helper = layout.schemas.find((s) => s.name === "scheduler_app");
    if (!scheduler || !helper) throw new Error("scheduler schemas missing");
    expect(rolesWithoutAccess(layout, scheduler)).not.toContain("stellaops_notify");
    expect(rolesWithoutAccess(layout, scheduler)).not.toContain("stellaops_scheduler");
    // The grant names one schema: its helper schema stays closed.
    expect(rolesWithoutAccess(layout, helper)).toContain("stellaops_notify");
  });

  it("rejects read grants the layout cannot honour, naming the config key", () => {
    const attempt =
      (readGrants: unknown, extra: object = {}) =>
      () =>
        buildLayout(parse({ readGrants, ...extra }));
    expect(attempt([{ service: "notify", schema: "nosuch" }])).toThrow(
      /^postgres\.readGrants\[0\]\.schema: "nosuch" is not a schema in this layout; allowed: authority, authority_app/,
    );
    expect(attempt([{ service: "scanner", schema: "scanner" }])).toThrow(/scanner already owns scanner/);
    expect(attempt([{ service: "scanner", schema: "authority" }], { serviceDatabases: { authority: "auth" } })).toThrow(
      /cannot read across databases/,
    );
    expect(attempt([{ service: "graph", schema: "scanner" }])).toThrow(
      /postgres\.readGrants\[0\]\.service: service "graph" is not enabled in this deployment/,
    );
    expect(attempt([{ service: "notify", schema: "scheduler" }])).not.toThrow(SettingsError);
  });

  it("adds extra schemas (with helpers) and extensions, refusing collisions", () => {
    const layout = buildLayout(
      parse({
        extraSchemas: [{ service: "scanner", schema: "scanner_cache" }],
        extensions: [{ name: "pgcrypto" }, { name: "citext", schema: "scanner_cache" }],
      }),
    );
    expect(layout.schemas.filter((s) => s.service === "scanner").map((s) => s.name)).toEqual([
      "scanner",
      "scanner_app",
      "scanner_cache",
      "scanner_cache_app",
    ]);
    expect(layout.extensions).toEqual([
      { database: "stellaops", name: "pgcrypto", schema: "public" },
      { database: "stellaops", name: "citext", schema: "scanner_cache" },
    ]);
    expect(() => buildLayout(parse({ extraSchemas: [{ service: "notify", schema: "scanner" }] }))).toThrow(
      /^postgres\.extraSchemas\[0\]\.schema: "scanner" names a schema that already exists[^\n]*$/,
    );
    expect(() => buildLayout(parse({ extensions: [{ name: "x", database: "other" }] }))).toThrow(
      /postgres\.extensions\[0\]\.database: "other" is not a database of this layout/,
    );
  });

  it("refuses role name patterns that collide or overflow", () => {
    expect(() => buildLayout(parse({ roleNamePattern: `${"x".repeat(60)}_{service}` }))).toThrow(
      /gives a bad role name for service authority: "x+_authority" has 70 characters; at most 63/,
    );
  });

  it("finds every problem in one pass, each with its config path, and buildLayout refuses them all at once", () => {
    const settings = parse({
      serviceOverrides: { graph: { connectionLimit: 5 } },
      readGrants: [{ service: "notify", schema: "nosuch" }],
      extensions: [{ name: "x", database: "other" }],
    });
    expect(postgresLayoutProblems(settings).map((p) => p.path)).toEqual([
      ["serviceOverrides", "graph"],
      ["readGrants", 0, "schema"],
      ["extensions", 0, "database"],
    ]);
    expect(postgresLayoutProblems(parse())).toEqual([]);
    let error: unknown;
    try {
      buildLayout(settings);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems).toHaveLength(3);
    expect((error as Error).message.split("\n")).toEqual([
      expect.stringMatching(/^postgres\.serviceOverrides\.graph: service "graph" is not enabled/),
      expect.stringMatching(/^postgres\.readGrants\[0\]\.schema: "nosuch" is not a schema/),
      expect.stringMatching(/^postgres\.extensions\[0\]\.database: "other" is not a database/),
    ]);
  });
});
