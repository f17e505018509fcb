import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { npgsqlConnectionString } from "../../components/postgres/connections";
import { buildLayout } from "../../components/postgres/model";
import { envNameFor, layoutJobCommand } from "../../components/postgres/layoutJob";
import { scramSha256Verifier, stableScramVerifier } from "../../components/postgres/scram";
import { postgresSettings } from "../../components/postgres/settings";
import {
  quoteIdent,
  quoteLiteral,
  renderLayoutSql,
  renderLoginRoleSql,
  scriptHash,
  scriptVariables,
} from "../../components/postgres/renderSql";

const layout = buildLayout(
  postgresSettings.parse({
    serviceDatabases: { authority: "stellaops_authority" },
    readGrants: [{ service: "notify", schema: "scheduler" }],
    serviceOverrides: { authority: { createRole: true }, scanner: { statementTimeoutMs: 5000 } },
    extensions: [{ name: "pgcrypto" }],
  }),
  ["evidence-locker"],
);
const script = renderLayoutSql(layout);
const statements = script.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("--"));

describe("layout SQL script", () => {
  it("takes every password as a psql variable and contains none", () => {
    expect(scriptVariables(layout)).toEqual(layout.roles.map((r) => r.passwordVariable));
    for (const role of layout.roles) {
      const setters = statements.filter((l) => l.includes("PASSWORD"));
      expect(setters.filter((l) => l.includes(`"${role.name}"`))).toEqual([
        expect.stringContaining(`PASSWORD :'${role.passwordVariable}';`),
      ]);
    }
    // Nothing that looks like a literal password: every PASSWORD is followed by a variable.
    expect(script.match(/PASSWORD\s+'/g)).toBeNull();
  });

  it("never revokes a role membership (a CREATEROLE service's own roles make it their member WITH ADMIN OPTION)", () => {
    const revokes = statements.filter((l) => /\bREVOKE\b/.test(l));
    expect(revokes.length).toBeGreaterThan(0);
    // Every REVOKE takes privileges ON an object; the only role grants give the admin membership in service roles.
    expect(revokes.filter((l) => !/^(REVOKE|ALTER DEFAULT PRIVILEGES .*REVOKE) .* ON /.test(l))).toEqual([]);
    expect(statements.filter((l) => /^GRANT "/.test(l))).toEqual([]);
  });

  it("renders a CREATEROLE login alone with the same role statements as the layout script, and no grant", () => {
    const authority = layout.roles.find((r) => r.createRole);
    if (!authority) throw new Error("no CREATEROLE role");
    const login = renderLoginRoleSql(authority).split("\n");
    const roleLines = statements.filter(
      (l) =>
        l.startsWith(`ALTER ROLE "${authority.name}" `) || l.startsWith(`SELECT 'CREATE ROLE "${authority.name}" `),
    );
    expect(roleLines.length).toBe(4);
    for (const line of roleLines) expect(login).toContain(line);
    expect(login.filter((l) => /\b(GRANT|REVOKE)\b/.test(l))).toEqual([]);
    expect(login).toContain(`\\if :{?${authority.passwordVariable}}`);
  });

  it("guards every CREATE so a second run skips what exists", () => {
    const creates = statements.filter((l) => /\bCREATE (ROLE|DATABASE|SCHEMA|EXTENSION)\b/.test(l));
    expect(creates.length).toBeGreaterThan(0);
    for (const line of creates) {
      const guarded =
        /^SELECT 'CREATE (ROLE|DATABASE) /.test(line) || /CREATE (SCHEMA|EXTENSION) IF NOT EXISTS/.test(line);
      expect(guarded, line).toBe(true);
    }
    // \gexec runs the generated statement only when the NOT EXISTS query returns a row.
    const gexecGuards = statements.filter((l) => l.includes("WHERE NOT EXISTS") && l.endsWith("\\gexec"));
    expect(gexecGuards).toHaveLength(layout.roles.length + layout.databases.length);
  });

  it("never drops, never creates tables, and stops on the first error", () => {
    expect(script).not.toMatch(/\bDROP\b/);
    expect(script).not.toMatch(/CREATE TABLE/);
    expect(statements[0]).toBe("\\set ON_ERROR_STOP on");
  });

  it("applies each database's part after connecting to it", () => {
    const connects = statements.filter((l) => l.startsWith("\\connect "));
    expect(connects).toEqual(["\\connect stellaops", "\\connect stellaops_authority"]);
    const authoritySchema = statements.indexOf(
      'CREATE SCHEMA IF NOT EXISTS "authority" AUTHORIZATION "stellaops_authority";',
    );
    expect(authoritySchema).toBeGreaterThan(statements.indexOf("\\connect stellaops_authority"));
  });

  it("revokes on each schema from exactly the roles that must not use it", () => {
    const scheduler = statements.find((l) => l.startsWith('REVOKE ALL ON SCHEMA "scheduler" FROM'));
    expect(scheduler).toBeDefined();
    expect(scheduler).not.toContain('"stellaops_scheduler"');
    expect(scheduler).not.toContain('"stellaops_notify"');
    expect(scheduler).toContain('"stellaops_scanner"');
    const schedulerApp = statements.find((l) => l.startsWith('REVOKE ALL ON SCHEMA "scheduler_app" FROM'));
    expect(schedulerApp).toContain('"stellaops_notify"');
  });

  it("has a stable short hash that changes with the script", () => {
    expect(scriptHash(script)).toMatch(/^[0-9a-f]{10}$/);
    expect(scriptHash(renderLayoutSql(layout))).toBe(scriptHash(script));
    const other = renderLayoutSql(buildLayout(postgresSettings.parse({}), ["evidence-locker"]));
    expect(scriptHash(other)).not.toBe(scriptHash(script));
  });

  it("quotes identifiers and literals", () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });
});

describe("layout Job command", () => {
  it("passes each password from the environment as a psql variable, never in the Pod spec", () => {
    const command = layoutJobCommand(["pw_scanner", "pw_evidence_locker"], "/layout/layout.sql");
    expect(command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(command[2]).toBe(
      'exec psql -X -v ON_ERROR_STOP=1 -v pw_scanner="$PW_SCANNER" -v pw_evidence_locker="$PW_EVIDENCE_LOCKER" -f /layout/layout.sql',
    );
    expect(envNameFor("pw_evidence_locker")).toBe("PW_EVIDENCE_LOCKER");
  });
});

describe("SCRAM-SHA-256 verifiers", () => {
  it("are PostgreSQL's stored form, stable per role and password, distinct across roles", () => {
    const v = stableScramVerifier("stellaops_scanner", "correct horse");
    expect(v).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    expect(stableScramVerifier("stellaops_scanner", "correct horse")).toBe(v);
    expect(stableScramVerifier("stellaops_notify", "correct horse")).not.toBe(v);
    expect(stableScramVerifier("stellaops_scanner", "correct horsf")).not.toBe(v);
    expect(v).not.toContain("correct horse");
  });

  it("match RFC 7677's test vector (user/pencil)", () => {
    // RFC 7677 section 3: salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations. The stored and server keys follow from
    // its SaltedPassword; checked here through the ServerSignature the RFC prints.
    const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
    const verifier = scramSha256Verifier("pencil", salt);
    const serverKey = Buffer.from(verifier.split(":").pop() as string, "base64");
    const authMessage =
      "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    const serverSignature = createHmac("sha256", serverKey).update(authMessage).digest("base64");
    expect(serverSignature).toBe("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  });

  it("refuse passwords that would need SASLprep", () => {
    expect(() => stableScramVerifier("r", "pässword")).toThrow(/printable-ASCII/);
  });
});

describe("Npgsql connection strings", () => {
  it("use the keyword form, with SSL Mode only when TLS is on", () => {
    const base = { host: "db", port: 5432, database: "stellaops", username: "stellaops_scanner", password: "pw" };
    expect(npgsqlConnectionString({ ...base, tls: false })).toBe(
      "Host=db;Port=5432;Database=stellaops;Username=stellaops_scanner;Password=pw",
    );
    expect(npgsqlConnectionString({ ...base, tls: true })).toBe(
      "Host=db;Port=5432;Database=stellaops;Username=stellaops_scanner;Password=pw;SSL Mode=Require",
    );
  });

  it("quote values that would break the keyword syntax", () => {
    const s = npgsqlConnectionString({
      host: "db",
      port: 5432,
      database: "d",
      username: "u",
      password: 'a;b="c"',
      tls: false,
    });
    expect(s).toBe('Host=db;Port=5432;Database=d;Username=u;Password="a;b=""c"""');
  });
});
