import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { PostgresDatabase } from "../../components/postgres/database";
import { PostgresDockerServer } from "../../components/postgres/docker";
import { postgresExternalServer } from "../../components/postgres/external";
import { loginCommandLine, PSQL_MISSING_MESSAGE } from "../../components/postgres/loginCommand";
import { PROVIDER_HASHED_PASSWORD_PREFIX } from "../../components/postgres/providerFacts";
import { stableScramVerifier } from "../../components/postgres/scram";
import { postgresDockerSettings, postgresSettings } from "../../components/postgres/settings";
import { renderLoginRoleSql } from "../../components/postgres/renderSql";
import {
  assertUniqueUrns,
  findResource,
  plainStrings,
  isSecret,
  isSecretOutput,
  resetRecorder,
  resourcesOfType,
  settled,
  testDockerPlatform,
  unwrapSecrets,
  valueOf,
} from "../harness";

/** The provider rendering of the layout: which resources, under which provider and parent, waiting on what. */

const settings = postgresSettings.parse({
  serviceDatabases: { authority: "stellaops_authority" },
  readGrants: [{ service: "notify", schema: "scheduler" }],
  serviceOverrides: { authority: { createRole: true }, scanner: { connectionLimit: 40, statementTimeoutMs: 9000 } },
  extensions: [{ name: "pgcrypto" }],
});

const POSTGRESQL_TYPES = /^postgresql:index\//;

/** The CREATEROLE logins' commands (the server's major-version guard is a command too, but not a layout resource). */
const loginCommands = () => resourcesOfType("command:local:Command").filter((c) => /-login-/.test(c.name));

function deploy() {
  const platform = testDockerPlatform({
    namePrefix: "stellaops-test",
    networkResourceName: "network",
    networkName: "stellaops-test",
  });
  const server = new PostgresDockerServer("postgres", {
    platform,
    settings,
    docker: postgresDockerSettings.parse({ hostPort: 15432 }),
  });
  const database = new PostgresDatabase("layout", {
    server,
    settings,
    optionalServices: ["evidence-locker"],
    stateful: platform.stateful,
  });
  return { platform, server, database };
}

describe("PostgresDatabase (provider rendering)", () => {
  beforeEach(() => resetRecorder());

  it("configures an explicit provider from the server's admin endpoint and admin credentials", async () => {
    deploy();
    const records = await settled();
    assertUniqueUrns(records);
    const provider = findResource("pulumi:providers:postgresql", "layout-provider");
    const component = findResource("stellaops:postgres:Database", "layout");
    expect(provider.parent).toBe(component.urn);
    expect(unwrapSecrets(provider.inputs)).toMatchObject({
      host: "127.0.0.1",
      port: "15432",
      username: "postgres",
      database: "postgres",
      sslmode: "disable",
      superuser: "true",
      expectedVersion: "18.1",
    });
    expect(isSecret(provider.inputs["password"])).toBe(true);
    expect(String(unwrapSecrets(provider.inputs["password"]))).toMatch(/^fake-password-postgres-superuser-password/);
  });

  it("renders every layout resource under that provider, parented to the component", async () => {
    deploy();
    const records = await settled();
    const provider = findResource("pulumi:providers:postgresql", "layout-provider");
    const component = findResource("stellaops:postgres:Database", "layout");
    const layoutResources = records.filter((r) => POSTGRESQL_TYPES.test(r.type));
    expect(layoutResources.length).toBeGreaterThan(30);
    for (const r of layoutResources) {
      expect(r.provider, r.name).toBe(`${provider.urn}::${provider.name}-id`);
      expect(r.parent, r.name).toBe(component.urn);
    }
    const count = (type: string) => resourcesOfType(`postgresql:index/${type}`).length;
    // Authority has CREATEROLE: its login is a command (below), never a Role.
    expect(count("role:Role")).toBe(8);
    expect(loginCommands().map((c) => c.name)).toEqual(["layout-login-authority"]);
    expect(count("database:Database")).toBe(2);
    expect(count("schema:Schema")).toBe(18);
    expect(count("defaultPrivileges:DefaultPrivileges")).toBe(1);
    expect(count("extension:Extension")).toBe(1);
    // 2 × (revoke PUBLIC, public schema) + 9 CONNECT + read grant (schema USAGE, table SELECT).
    expect(count("grant:Grant")).toBe(4 + 9 + 2);
  });

  it("waits for the server's readyResources before touching it, and for nothing outside the layout and that server", async () => {
    const { server } = deploy();
    const records = await settled();
    const container = findResource("docker:index/container:Container", "postgres-server");
    const serverComponent = findResource("stellaops:postgres:DockerServer", "postgres");
    expect(server.readyResources).toHaveLength(1);
    const component = findResource("stellaops:postgres:Database", "layout");
    const provider = findResource("pulumi:providers:postgresql", "layout-provider");
    // The provider waits on the healthy container; its admin password comes from the server's own RandomPassword.
    expect(provider.dependencies).toContain(container.urn);
    const allowed = new Set([
      ...records.filter((r) => r.parent === component.urn || r.parent === serverComponent.urn).map((r) => r.urn),
      provider.urn,
    ]);
    for (const r of records.filter((x) => POSTGRESQL_TYPES.test(x.type) || x === provider)) {
      expect(r.dependencies, r.name).toContain(container.urn);
      expect(
        r.dependencies.filter((d) => !allowed.has(d)),
        r.name,
      ).toEqual([]);
    }
  });

  it("runs grants strictly one after another, and one owner's schemas one after another", async () => {
    deploy();
    const records = await settled();
    const byUrn = new Map(records.map((r) => [r.urn, r]));
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
      if (from === to) return true;
      if (seen.has(from)) return false;
      seen.add(from);
      return (byUrn.get(from)?.dependencies ?? []).some((d) => reaches(d, to, seen));
    };
    const serialized = (group: { urn: string; name: string }[]) => {
      for (const a of group) {
        for (const b of group) {
          if (a !== b) expect(reaches(a.urn, b.urn) || reaches(b.urn, a.urn), `${a.name} / ${b.name}`).toBe(true);
        }
      }
    };
    const grants = [
      ...resourcesOfType("postgresql:index/grant:Grant"),
      ...resourcesOfType("postgresql:index/defaultPrivileges:DefaultPrivileges"),
    ];
    expect(grants.length).toBe(16);
    serialized(grants);
    // Every grant comes after every schema.
    for (const g of grants) {
      for (const s of resourcesOfType("postgresql:index/schema:Schema"))
        expect(reaches(g.urn, s.urn), g.name).toBe(true);
    }
    serialized(
      ["scanner", "scanner_app"].map((n) => findResource("postgresql:index/schema:Schema", `layout-schema-${n}`)),
    );
  });

  it("creates roles as configured, each handed a SCRAM verifier of its generated password, never the plaintext", async () => {
    const { database } = deploy();
    await settled();
    const roles = resourcesOfType("postgresql:index/role:Role");
    for (const role of roles) {
      expect(isSecret(role.inputs["password"]), role.name).toBe(true);
      const plaintext = await valueOf(database.connections[role.name.replace(/^layout-role-/, "")].password);
      expect(plaintext).toMatch(/^fake-password-/);
      expect(unwrapSecrets(role.inputs["password"]), role.name).toBe(
        stableScramVerifier(String(role.inputs["name"]), plaintext),
      );
      expect(
        plainStrings(role.inputs).some((v) => v.includes(plaintext)),
        role.name,
      ).toBe(false);
      // The provider compares a value with this prefix to pg_shadow as is (no re-hash, no diff): providerFacts.ts.
      expect(String(unwrapSecrets(role.inputs["password"])).startsWith(PROVIDER_HASHED_PASSWORD_PREFIX)).toBe(true);
      expect(role.inputs).toMatchObject({
        login: true,
        superuser: false,
        createRole: false,
        bypassRowLevelSecurity: false,
        replication: false,
      });
    }
    expect(findResource("postgresql:index/role:Role", "layout-role-scanner").inputs).toMatchObject({
      name: "stellaops_scanner",
      connectionLimit: 40,
      statementTimeout: 9000,
      createRole: false,
      searchPaths: ["scanner", "scanner_app", "public"],
    });
    // Generated, alphanumeric (no escaping in connection strings), never replaced by a config change.
    const passwords = resourcesOfType("random:index/randomPassword:RandomPassword").filter((p) =>
      p.name.startsWith("layout-"),
    );
    expect(passwords).toHaveLength(9);
    for (const p of passwords) expect(p.inputs).toEqual({ length: 32, special: false });
  });

  it("manages the CREATEROLE login with psql from the deploy machine: script on stdin, credentials as secret env", async () => {
    const { database } = deploy();
    await settled();
    const login = findResource("command:local:Command", "layout-login-authority");
    const role = database.layout.roles.find((r) => r.service === "authority");
    if (!role) throw new Error("no authority role");
    expect(login.inputs["create"]).toBe(loginCommandLine(role));
    expect(login.inputs["update"]).toBe(login.inputs["create"]);
    expect(login.inputs["delete"]).toBeUndefined();
    expect(login.inputs["stdin"]).toBe(renderLoginRoleSql(role));
    expect(login.inputs["addPreviousOutputInEnv"]).toBe(false);
    expect(login.options.additionalSecretOutputs).toEqual(["stdout", "stderr"]);
    const env = login.inputs["environment"] as Record<string, unknown>;
    expect(isSecret(env["PGPASSWORD"])).toBe(true);
    expect(isSecret(env["PW_AUTHORITY"])).toBe(true);
    const plaintext = await valueOf(database.connections["authority"].password);
    expect(unwrapSecrets(env)).toMatchObject({
      PGHOST: "127.0.0.1",
      PGPORT: "15432",
      PGUSER: "postgres",
      PGDATABASE: "postgres",
      PGSSLMODE: "disable",
      PW_AUTHORITY: stableScramVerifier("stellaops_authority", plaintext),
    });
    // No credential in the command line or the script: only references to the environment and psql variables.
    expect(plainStrings({ create: login.inputs["create"], stdin: login.inputs["stdin"] }).join("\n")).not.toMatch(
      /fake-password|SCRAM-SHA-256\$/,
    );
    expect(String(login.inputs["create"])).toContain(PSQL_MISSING_MESSAGE);
    expect(String(login.inputs["stdin"])).toMatch(/CREATEROLE CONNECTION LIMIT -1 PASSWORD :'pw_authority';/);
    expect(String(login.inputs["stdin"])).not.toMatch(/\bGRANT\b|\bREVOKE\b/);
    // Authority's schemas (and its CONNECT grant) wait for the login; its connection's username comes through it.
    const container = findResource("docker:index/container:Container", "postgres-server");
    expect(login.dependencies).toContain(container.urn);
    for (const schema of ["authority", "authority_app"]) {
      expect(findResource("postgresql:index/schema:Schema", `layout-schema-${schema}`).dependencies).toContain(
        login.urn,
      );
    }
    expect(findResource("postgresql:index/grant:Grant", "layout-connect-authority").dependencies).toContain(login.urn);
    expect(await valueOf(database.connections["authority"].username)).toBe("stellaops_authority");
  });

  it("deletes every layout resource with the server (a destroy drops nothing one by one)", async () => {
    deploy();
    const records = await settled();
    const container = findResource("docker:index/container:Container", "postgres-server");
    const inServer = records.filter((r) => POSTGRESQL_TYPES.test(r.type) || loginCommands().includes(r));
    expect(inServer.length).toBeGreaterThan(30);
    for (const r of inServer) expect(r.options.deletedWith, r.name).toBe(container.urn);
    // Not inside the server: the provider and the generated passwords.
    expect(findResource("pulumi:providers:postgresql", "layout-provider").options.deletedWith).toBeNull();
    expect(
      findResource("random:index/randomPassword:RandomPassword", "layout-password-scanner").options.deletedWith,
    ).toBeNull();
  });

  it("protects the databases, schemas and their owner roles per platform.stateful, and never drops schema contents", async () => {
    deploy();
    await settled();
    for (const r of [
      ...resourcesOfType("postgresql:index/database:Database"),
      ...resourcesOfType("postgresql:index/schema:Schema"),
    ]) {
      expect(r.options, r.name).toMatchObject({ protect: true, retainOnDelete: true });
    }
    for (const s of resourcesOfType("postgresql:index/schema:Schema")) expect(s.inputs["dropCascade"]).toBe(false);
    // Owner roles (and the CREATEROLE login) like the schemas they own: removing a service drops no role.
    for (const r of [...resourcesOfType("postgresql:index/role:Role"), ...loginCommands()]) {
      expect(r.options, r.name).toMatchObject({ protect: true, retainOnDelete: true });
    }
    for (const g of resourcesOfType("postgresql:index/grant:Grant"))
      expect(g.options.retainOnDelete, g.name).not.toBe(true);
    expect(findResource("postgresql:index/database:Database", "layout-database").inputs).toMatchObject({
      name: "stellaops",
      template: "template0",
      encoding: "UTF8",
    });
  });

  it("outputs per-service connections with the password and connection string secret", async () => {
    const { database } = deploy();
    await settled();
    expect(Object.keys(database.connections).sort()).toEqual([
      "authority",
      "concelier",
      "evidence-locker",
      "excititor",
      "notify",
      "orchestrator",
      "policy",
      "scanner",
      "scheduler",
    ]);
    const scanner = database.connections["scanner"];
    expect(await isSecretOutput(scanner.password)).toBe(true);
    expect(await isSecretOutput(scanner.connectionString)).toBe(true);
    expect(await isSecretOutput(scanner.host)).toBe(false);
    expect(await valueOf(scanner.connectionString)).toBe(
      "Host=stellaops-test-postgres;Port=5432;Database=stellaops;Username=stellaops_scanner;Password=" +
        (await valueOf(scanner.password)),
    );
    expect(await valueOf(database.connections["authority"].database)).toBe("stellaops_authority");
  });

  it("on a managed server: sslmode require, superuser false, SSL Mode in the connection strings", async () => {
    const server = postgresExternalServer({
      host: "pg.internal",
      port: 5432,
      adminUsername: "dba",
      adminPassword: pulumi.secret("dba-password"),
      tls: true,
      adminIsSuperuser: false,
      adminHost: "127.0.0.1",
      adminPort: 6543,
    });
    const database = new PostgresDatabase("managed", {
      server,
      settings: postgresSettings.parse({}),
      optionalServices: [],
      stateful: { protect: false, retainOnDelete: false },
    });
    await settled();
    const provider = findResource("pulumi:providers:postgresql", "managed-provider");
    expect(unwrapSecrets(provider.inputs)).toMatchObject({
      host: "127.0.0.1",
      port: "6543",
      username: "dba",
      sslmode: "require",
      superuser: "false",
    });
    expect(isSecret(provider.inputs["password"])).toBe(true);
    expect(provider.dependencies).toEqual([]);
    expect(await valueOf(database.connections["notify"].connectionString)).toMatch(
      /^Host=pg\.internal;Port=5432;Database=stellaops;Username=stellaops_notify;Password=.+;SSL Mode=Require$/,
    );
    for (const r of [
      ...resourcesOfType("postgresql:index/database:Database"),
      ...resourcesOfType("postgresql:index/role:Role"),
    ]) {
      expect(r.options).toMatchObject({ protect: false, retainOnDelete: false });
    }
    // An existing server is not deleted by this program: its layout resources are deleted one by one.
    for (const r of resourcesOfType("postgresql:index/schema:Schema")) expect(r.options.deletedWith).toBeNull();
  });
});
