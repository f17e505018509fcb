import { beforeEach, describe, expect, it } from "vitest";
import { operatorManagedUserProblems } from "../../components/valkey/model";
import { sha256Hex } from "../../components/valkey/renderAcl";
import { ValkeyAppUsers } from "../../components/valkey/appUsers";
import {
  externalHostProblems,
  stackExchangeConnectionString,
  valkeyServiceConnections,
} from "../../components/valkey/connections";
import { ValkeyExternalServer } from "../../components/valkey/external";
import { valkeyExternalSettings, valkeySettings } from "../../components/valkey/settings";
import { findResource, isSecretOutput, resetRecorder, resourcesOfType, settled, valueOf } from "../harness";

const external = valkeyExternalSettings.parse({
  host: "cache.internal",
  port: 6380,
  tls: true,
  adminPassword: "admin-secret",
});

describe("ValkeyExternalServer", () => {
  beforeEach(() => resetRecorder());

  it("operator-managed app user: its password from config, no generated password, no ACL lines", async () => {
    const settings = valkeySettings.parse({});
    const appUsers = new ValkeyAppUsers("valkey-app", { settings, operatorManagedPassword: "operator-pw" });
    const server = new ValkeyExternalServer("valkey", { external, appUsers });
    const connections = valkeyServiceConnections(server, appUsers);
    await settled();
    findResource("stellaops:valkey:ExternalServer", "valkey");
    expect(resourcesOfType("random:index/randomPassword:RandomPassword")).toEqual([]);
    expect(server.appAclLines).toBeUndefined();
    expect(server.readyResources).toEqual([]);
    expect(await valueOf(server.admin.username)).toBe("default");
    expect(await isSecretOutput(server.admin.password)).toBe(true);
    expect(await valueOf(connections["scanner"].connectionString)).toBe(
      "cache.internal:6380,user=stellaops,password=operator-pw,ssl=true,abortConnect=false",
    );
    expect(await isSecretOutput(connections["scanner"].password)).toBe(true);
    expect(await isSecretOutput(connections["scanner"].connectionString)).toBe(true);
  });

  it("refuses an operator-managed user in per-service mode, saying how to fix it", () => {
    const settings = valkeySettings.parse({ aclMode: "per-service" });
    expect(operatorManagedUserProblems(settings, true)).toEqual([
      {
        path: ["external", "valkey", "appPassword"],
        message: expect.stringMatching(
          /^an operator-managed application user works with valkey.aclMode "shared" only; remove it/,
        ),
      },
    ]);
  });

  it("refuses a host StackExchange.Redis would split, before any connection string is built", () => {
    expect(externalHostProblems("cache,ssl=false")).toEqual([
      {
        path: ["host"],
        message: "Valkey host must not contain ',', '=' or whitespace: StackExchange.Redis would split it",
      },
    ]);
  });

  it("generated users: exports ACL lines with hashes only for the operator to load", async () => {
    const settings = valkeySettings.parse({ aclMode: "per-service" });
    const appUsers = new ValkeyAppUsers("valkey-app", { settings });
    const server = new ValkeyExternalServer("valkey", { external, appUsers });
    await settled();
    const lines = (await valueOf(server.appAclLines!)).trimEnd().split("\n");
    expect(lines).toHaveLength(appUsers.users.length);
    const scanner = appUsers.credentialFor("scanner");
    const hash = sha256Hex(await valueOf(scanner.password));
    expect(lines).toContain(
      `user stellaops-scanner on #${hash} resetkeys ~scanner:* ~scanner.* resetchannels &scanner:* &scanner.* +@all -@dangerous -@admin +info -script|flush -script|kill -script|debug -function|flush -function|delete -function|restore -function|kill`,
    );
    expect(lines.join("\n")).not.toContain(await valueOf(scanner.password));
    expect(await isSecretOutput(server.appAclLines!)).toBe(true);
  });
});

describe("StackExchange.Redis connection string", () => {
  it("has the documented shape and refuses values StackExchange.Redis would split", () => {
    expect(stackExchangeConnectionString({ host: "h", port: 1, user: "u", password: "p", tls: false })).toBe(
      "h:1,user=u,password=p,ssl=false,abortConnect=false",
    );
    expect(() => stackExchangeConnectionString({ host: "h", port: 1, user: "u", password: "p,q", tls: true })).toThrow(
      /password must not contain/,
    );
  });
});
