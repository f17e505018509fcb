import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { PostgresDatabase } from "../../components/postgres/database";
import { postgresExternalServer } from "../../components/postgres/external";
import { buildLayout } from "../../components/postgres/model";
import { postgresSettings, type PostgresSettings } from "../../components/postgres/settings";
import { renderLayoutSql } from "../../components/postgres/renderSql";
import { resetRecorder, settled, unwrapSecrets, type RecordedResource } from "../harness";

/**
 * The two renderings of one layout — @pulumi/postgresql resources and the psql script — must describe the same
 * roles (with their attributes), databases, schemas and owners, grants, default privileges and extensions.
 * Each is reduced to a set of facts from what it actually emits (recorded resource inputs; the script's text).
 */

type Facts = string[];
const sorted = (xs: Iterable<string>) => [...xs].sort();
const privs = (list: readonly string[]) => sorted(list.map((p) => p.trim().toUpperCase())).join(",");
const roleRef = (r: string) => (r.toLowerCase() === "public" ? "PUBLIC" : r);

function factsFromResources(records: readonly RecordedResource[]): Facts {
  const facts: string[] = [];
  for (const r of records) {
    const i = unwrapSecrets(r.inputs) as Record<string, unknown>;
    const str = (k: string) => String(i[k]);
    switch (r.type) {
      case "postgresql:index/role:Role":
        facts.push(
          `role ${str("name")} login=${str("login")} createrole=${str("createRole")} connlimit=${str("connectionLimit")} ` +
            `timeout=${str("statementTimeout")} search_path=${(i["searchPaths"] as string[]).join(",")}`,
        );
        break;
      case "postgresql:index/database:Database":
        facts.push(`database ${str("name")}`);
        break;
      case "postgresql:index/schema:Schema":
        facts.push(`schema ${str("database")}.${str("name")} owner=${str("owner")}`);
        break;
      case "postgresql:index/grant:Grant": {
        const on =
          i["objectType"] === "database"
            ? `database ${str("database")}`
            : i["objectType"] === "schema"
              ? `schema ${str("database")}.${str("schema")}`
              : `${str("objectType")} ${str("database")}.${str("schema")}.*`;
        expect(i["objects"] ?? [], "grants cover all objects of the type").toEqual([]);
        facts.push(`grant ${on} to=${roleRef(str("role"))} ${privs(i["privileges"] as string[])}`);
        break;
      }
      case "postgresql:index/defaultPrivileges:DefaultPrivileges":
        facts.push(
          `default ${str("objectType")} ${str("database")}.${str("schema")} owner=${str("owner")} to=${str("role")} ${privs(i["privileges"] as string[])}`,
        );
        break;
      case "postgresql:index/extension:Extension":
        facts.push(`extension ${str("database")}.${str("name")} schema=${str("schema")}`);
        break;
      // A CREATEROLE login: its psql script on stdin is the layout script's role section.
      case "command:local:Command":
        facts.push(...factsFromScript(str("stdin")));
        break;
    }
  }
  return sorted(facts);
}

const unq = (s: string) => s.replace(/^"|"$/g, "").replace(/""/g, '"');
const idents = (list: string) => list.split(",").map((x) => unq(x.trim()));

/** Reads the script the way psql would: line by line, tracking the database `\connect` switched to. */
function factsFromScript(script: string): Facts {
  const facts: string[] = [];
  const roles = new Map<string, { createrole?: string; connlimit?: string; timeout?: string; searchPath?: string }>();
  const role = (name: string) => roles.get(name) ?? (roles.set(name, {}), roles.get(name)!);
  let db = "";
  let m: RegExpMatchArray | null;
  for (const line of script.split("\n")) {
    if ((m = line.match(/^\\connect (\S+)$/))) db = m[1];
    else if ((m = line.match(/^SELECT 'CREATE ROLE "([^"]+)" WITH LOGIN /))) role(m[1]);
    else if (
      (m = line.match(
        /^ALTER ROLE "([^"]+)" WITH LOGIN INHERIT NOCREATEDB (NO)?CREATEROLE CONNECTION LIMIT (-?\d+) PASSWORD :'\w+';$/,
      ))
    ) {
      Object.assign(role(m[1]), { createrole: String(m[2] === undefined), connlimit: m[3] });
    } else if ((m = line.match(/^ALTER ROLE "([^"]+)" SET search_path TO (.+);$/)))
      role(m[1]).searchPath = idents(m[2]).join(",");
    else if ((m = line.match(/^ALTER ROLE "([^"]+)" SET statement_timeout TO (\d+);$/))) role(m[1]).timeout = m[2];
    else if ((m = line.match(/^ALTER ROLE "([^"]+)" RESET statement_timeout;$/))) role(m[1]).timeout = "0";
    else if ((m = line.match(/^SELECT 'CREATE DATABASE "([^"]+)"/))) facts.push(`database ${m[1]}`);
    else if ((m = line.match(/^REVOKE ALL ON DATABASE "([^"]+)" FROM PUBLIC;$/)))
      facts.push(`grant database ${m[1]} to=PUBLIC `);
    else if ((m = line.match(/^GRANT (.+) ON DATABASE "([^"]+)" TO "([^"]+)";$/))) {
      facts.push(`grant database ${m[2]} to=${m[3]} ${privs(m[1].split(","))}`);
    } else if ((m = line.match(/^GRANT USAGE ON SCHEMA (\S+) TO (PUBLIC|"[^"]+");$/))) {
      facts.push(`grant schema ${db}.${unq(m[1])} to=${roleRef(unq(m[2]))} USAGE`);
    } else if ((m = line.match(/^CREATE SCHEMA IF NOT EXISTS "([^"]+)" AUTHORIZATION "([^"]+)";$/))) {
      facts.push(`schema ${db}.${m[1]} owner=${m[2]}`);
    } else if ((m = line.match(/^GRANT SELECT ON ALL TABLES IN SCHEMA "([^"]+)" TO "([^"]+)";$/))) {
      facts.push(`grant table ${db}.${m[1]}.* to=${m[2]} SELECT`);
    } else if (
      (m = line.match(
        /^ALTER DEFAULT PRIVILEGES FOR ROLE "([^"]+)" IN SCHEMA "([^"]+)" GRANT SELECT ON TABLES TO "([^"]+)";$/,
      ))
    ) {
      facts.push(`default table ${db}.${m[2]} owner=${m[1]} to=${m[3]} SELECT`);
    } else if ((m = line.match(/^CREATE EXTENSION IF NOT EXISTS "([^"]+)" WITH SCHEMA "([^"]+)";$/))) {
      facts.push(`extension ${db}.${m[1]} schema=${m[2]}`);
    }
  }
  for (const [name, r] of roles) {
    facts.push(
      `role ${name} login=true createrole=${r.createrole} connlimit=${r.connlimit} timeout=${r.timeout} search_path=${r.searchPath}`,
    );
  }
  return sorted(facts);
}

async function pulumiFacts(settings: PostgresSettings, optional: string[]): Promise<Facts> {
  resetRecorder();
  const server = postgresExternalServer({
    host: "pg",
    port: 5432,
    adminUsername: "postgres",
    adminPassword: pulumi.secret("x"),
    tls: false,
    adminIsSuperuser: true,
  });
  new PostgresDatabase("layout", {
    server,
    settings,
    optionalServices: optional,
    stateful: { protect: false, retainOnDelete: false },
  });
  return factsFromResources(await settled());
}

const CASES: [string, unknown, string[]][] = [
  ["defaults", {}, []],
  [
    "everything configured",
    {
      serviceDatabases: { authority: "stellaops_authority" },
      roleNamePattern: "so_{service}",
      roleDefaults: { connectionLimit: 30, statementTimeoutMs: 15000, temporaryTables: false },
      serviceOverrides: {
        authority: { createRole: true },
        scanner: { connectionLimit: 90, searchPath: ["scanner", "public"] },
      },
      readGrants: [
        { service: "notify", schema: "scheduler" },
        { service: "policy", schema: "vuln" },
      ],
      extraSchemas: [{ service: "scanner", schema: "scanner_cache" }],
      extensions: [{ name: "pgcrypto" }, { name: "citext", database: "stellaops_authority" }],
    },
    ["evidence-locker", "graph"],
  ],
];

describe("the two renderings of the layout", () => {
  beforeEach(() => resetRecorder());

  for (const [label, raw, optional] of CASES) {
    it(`cover the same roles, schemas, owners and grants (${label})`, async () => {
      const settings = postgresSettings.parse(raw);
      const layout = buildLayout(settings, optional);
      const fromResources = await pulumiFacts(settings, optional);
      const fromScript = factsFromScript(renderLayoutSql(layout));
      expect(fromScript).toEqual(fromResources);
      // And both say what the model says, not merely the same thing.
      expect(fromResources.filter((f) => f.startsWith("role "))).toHaveLength(layout.roles.length);
      expect(fromResources.filter((f) => f.startsWith("schema "))).toHaveLength(layout.schemas.length);
      for (const s of layout.schemas)
        expect(fromResources).toContain(`schema ${s.database}.${s.name} owner=${s.owner}`);
      for (const g of layout.readGrants) {
        expect(fromResources).toContain(`default table ${g.database}.${g.schema} owner=${g.owner} to=${g.role} SELECT`);
      }
    });
  }

  it("would notice a difference (the comparison is not vacuous)", () => {
    const layout = buildLayout(postgresSettings.parse({ readGrants: [{ service: "notify", schema: "scheduler" }] }));
    const script = renderLayoutSql(layout);
    const withoutDefaultGrant = script
      .split("\n")
      .filter((l) => !l.startsWith("ALTER DEFAULT PRIVILEGES FOR ROLE") || !l.includes(" GRANT "))
      .join("\n");
    expect(factsFromScript(withoutDefaultGrant)).not.toEqual(factsFromScript(script));
    expect(factsFromScript(script)).toContain(
      "default table stellaops.scheduler owner=stellaops_scheduler to=stellaops_notify SELECT",
    );
  });
});
