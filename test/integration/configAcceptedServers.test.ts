import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPTIONAL_SERVICE_IDS } from "../../components/catalog";
import { ADMIN_USER, renderNatsServerConf } from "../../components/nats/renderConf";
import { natsAppUserSpecs } from "../../components/nats/model";
import { appAclUsers } from "../../components/valkey/model";
import { MAXMEMORY_POLICIES } from "../../components/valkey/settings";
import { parseStackConfig, type InfraConfig } from "../../profiles/config";
import { rawConfig } from "../harness/configProblems";
import { serverBinaryOrSkip, tempDir } from "../support/servers";
import { FIXTURES } from "./natsFixtures";
import { allocatePorts, configTest } from "./natsServer";
import { startValkeyServer } from "./valkeyServer";

/**
 * Property, on the real servers: what the program renders from a generated stack the config loader accepts is read
 * by the server that consumes it. valkey.conf and the ACL file start a real valkey-server on which every user logs
 * in; nats-server.conf passes `nats-server -t`. Servers are slow to start, so a handful of configs each.
 */

const valkeyBin = serverBinaryOrSkip("valkey-server", "valkey-server (bookworm-backports)");
const natsBin = serverBinaryOrSkip("nats-server", "nats-server");

const aclUser = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/).filter((u) => u !== "default");
const pattern = fc.stringMatching(/^[A-Za-z0-9_.:\-/@=+*?[\]^{}]{1,40}$/);

/** A generated stack's settings, validated the way `pulumi up` would: only what the loader accepts is used. */
function acceptedConfig(values: Record<string, unknown>): InfraConfig | undefined {
  try {
    return parseStackConfig(rawConfig({ profile: "docker", ...values }), "prop");
  } catch {
    return undefined;
  }
}

describe.skipIf(!valkeyBin)(
  "property: accepted Valkey settings make a valkey.conf and ACL file valkey-server runs",
  () => {
    it("starts and lets the admin and every application user in", async () => {
      const valkey = fc.record({
        maxmemory: fc
          .tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom("mb", "MB", "gb", "kb", "m"))
          .map(([n, unit]) => `${n}${unit}`),
        maxmemoryPolicy: fc.constantFrom(...MAXMEMORY_POLICIES),
        appendfsync: fc.constantFrom("everysec", "always"),
        savePoints: fc.array(
          fc.record({ seconds: fc.integer({ min: 1, max: 86400 }), changes: fc.integer({ min: 1 }) }),
          {
            maxLength: 3,
          },
        ),
        aclMode: fc.constantFrom("shared", "per-service"),
        appUser: aclUser,
        adminUser: aclUser,
        extraKeyPatterns: fc.record({ notify: fc.array(pattern, { maxLength: 2 }) }),
        extraChannelPatterns: fc.record({ scanner: fc.array(pattern, { maxLength: 2 }) }),
      });
      let started = 0;
      await fc.assert(
        fc.asyncProperty(valkey, fc.subarray([...OPTIONAL_SERVICE_IDS]), async (v, optional) => {
          const cfg = acceptedConfig({ valkey: v, services: { optional } });
          if (cfg === undefined) return;
          started++;
          const server = await startValkeyServer(valkeyBin!, cfg.valkey, appAclUsers(cfg.valkey, optional));
          try {
            expect(await (await server.client(server.admin)).ping()).toBe("PONG");
            for (const user of server.users.values()) expect(await (await server.client(user)).ping()).toBe("PONG");
          } finally {
            await server.stop();
          }
        }),
        { numRuns: 4, seed: 20261202 },
      );
      expect(started).toBeGreaterThanOrEqual(2);
    });
  },
);

describe.skipIf(!natsBin)("property: accepted NATS settings make a nats-server.conf nats-server reads", () => {
  it("passes nats-server -t", async () => {
    const nats = fc.record({
      enabled: fc.constant(true),
      userMode: fc.constantFrom("shared", "per-service"),
      perServiceInboxes: fc.boolean(),
      account: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,31}$/),
      jetstream: fc.record({
        maxFileStore: fc
          .tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom("MB", "GB", "G", "KB", "TB"))
          .map(([n, unit]) => `${n}${unit}`),
        maxMemoryStore: fc
          .tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom("MB", "K", "M"))
          .map(([n, unit]) => `${n}${unit}`),
      }),
    });
    let tested = 0;
    await fc.assert(
      fc.asyncProperty(nats, fc.subarray([...OPTIONAL_SERVICE_IDS]), async (n, optional) => {
        const cfg = acceptedConfig({ nats: n, services: { optional } });
        if (cfg === undefined) return;
        tested++;
        const dir = tempDir("nats-prop");
        try {
          const ports = await allocatePorts();
          const conf = renderNatsServerConf({
            serverName: "stellaops-prop-nats",
            listen: { host: "127.0.0.1", port: ports.client },
            monitor: { host: "127.0.0.1", port: ports.monitor },
            jetstream: {
              storeDir: join(dir.path, "store"),
              maxFileStore: cfg.nats.jetstream.maxFileStore,
              maxMemoryStore: cfg.nats.jetstream.maxMemoryStore,
            },
            appAccount: cfg.nats.account,
            // -t reads the configuration; it does not check passwords, so one known bcrypt hash serves every user.
            appUsers: natsAppUserSpecs(cfg.nats, optional).map((u) => ({
              name: u.name,
              password: FIXTURES.stellaops.bcrypt,
              permissions: u.permissions,
            })),
            systemUsers: [{ name: ADMIN_USER, password: FIXTURES.admin.bcrypt }],
          });
          const path = join(dir.path, "nats-server.conf");
          writeFileSync(path, conf);
          expect(() => configTest(natsBin!, path)).not.toThrow();
        } finally {
          dir.remove();
        }
      }),
      { numRuns: 5, seed: 20261202 },
    );
    expect(tested).toBeGreaterThanOrEqual(3);
  });
});
