import { execFileSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type Valkey from "iovalkey";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appAclUsers, HEALTHCHECK_ACL_USER } from "../../components/valkey/model";
import { healthcheckShellCommand } from "../../components/valkey/docker";
import { valkeySettings } from "../../components/valkey/settings";
import { serverBinaryOrSkip } from "../support/servers";
import { startValkeyServer, type TestUser, type ValkeyTestServer } from "./valkeyServer";

/**
 * The rendered valkey.conf and ACL file on a real valkey-server (Debian bookworm-backports, Valkey 8): what the
 * application users may and may not do, per-service isolation, persistence across restarts and crashes.
 */

const bin = serverBinaryOrSkip("valkey-server", "valkey-server (bookworm-backports)");

/** A token bucket like StellaOps's rate limiter: KEYS[1] bucket; ARGV capacity, refill/s, now (ms), cost. */
const TOKEN_BUCKET = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - ts) / 1000 * rate)
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000))
return allowed
`;

/** Commands the shared user must be refused, with arguments that would otherwise be valid. */
const REFUSED: readonly (readonly string[])[] = [
  ["FLUSHALL"],
  ["FLUSHDB"],
  ["CONFIG", "GET", "maxmemory"],
  ["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"],
  ["CONFIG", "REWRITE"],
  ["DEBUG", "SLEEP", "0"],
  ["SHUTDOWN", "NOSAVE"],
  ["ACL", "SETUSER", "intruder", "on", ">x", "+@all", "~*"],
  ["ACL", "LIST"],
  ["ACL", "GETUSER", "stellaops-admin"],
  ["ACL", "LOG"],
  ["KEYS", "*"],
  ["SORT", "scanner:list", "BY", "nosort", "GET", "authority:*"],
  ["SWAPDB", "0", "1"],
  ["SAVE"],
  ["BGSAVE"],
  ["BGREWRITEAOF"],
  ["LASTSAVE"],
  ["REPLICAOF", "NO", "ONE"],
  ["MIGRATE", "127.0.0.1", "1", "k", "0", "1000"],
  ["RESTORE", "k", "0", "x"],
  ["CLIENT", "LIST"],
  ["CLIENT", "KILL", "ID", "1"],
  ["CLIENT", "PAUSE", "10"],
  ["MODULE", "LIST"],
  ["SLOWLOG", "GET"],
  ["LATENCY", "LATEST"],
  ["ROLE"],
  ["FAILOVER"],
  ["SCRIPT", "FLUSH"],
  ["SCRIPT", "KILL"],
  ["SCRIPT", "DEBUG", "SYNC"],
  ["FUNCTION", "FLUSH"],
  ["FUNCTION", "DELETE", "lib"],
  ["FUNCTION", "RESTORE", "x"],
  ["FUNCTION", "KILL"],
];

async function refused(client: Valkey, args: readonly string[]): Promise<string> {
  try {
    await client.call(args[0], ...args.slice(1));
  } catch (err) {
    return String((err as Error).message);
  }
  return `${args.join(" ")} was ALLOWED`;
}

describe.skipIf(!bin)("Valkey ACLs on a real server: shared mode", () => {
  const settings = valkeySettings.parse({});
  let server: ValkeyTestServer;
  let app: TestUser;
  let client: Valkey;

  beforeAll(async () => {
    server = await startValkeyServer(bin!, settings, appAclUsers(settings));
    app = server.users.get("stellaops")!;
    client = await server.client(app);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses unauthenticated commands and the default user", async () => {
    const anonymous = await server.client();
    await expect(anonymous.get("authority:nonce:1")).rejects.toThrow(/NOAUTH/);
    await expect(anonymous.call("PING")).rejects.toThrow(/NOAUTH/);
    await expect(anonymous.call("AUTH", "default", "")).rejects.toThrow(/WRONGPASS/);
    await expect(anonymous.call("AUTH", "default", "anything")).rejects.toThrow(/WRONGPASS/);
    await expect(anonymous.call("AUTH", "nopass-guess")).rejects.toThrow(/WRONGPASS/);
    await expect(anonymous.call("HELLO", "3", "AUTH", "default", "x")).rejects.toThrow(/WRONGPASS/);
    await expect(anonymous.call("AUTH", app.name, "not-the-password")).rejects.toThrow(/WRONGPASS/);
    const wrong = await server.client({ name: app.name, password: "not-the-password" });
    await expect(wrong.get("authority:nonce:1")).rejects.toThrow(/NOAUTH/);
    const admin = await server.client(server.admin);
    const flags = (await admin.call("ACL", "GETUSER", "default")) as unknown[];
    const flagList = flags[flags.indexOf("flags") + 1] as string[];
    expect(flagList).toContain("off");
    // nopass on the default user would make protected mode refuse every non-loopback client.
    expect(flagList).not.toContain("nopass");
    // The file on disk holds hashes only.
    expect(server.aclFile).not.toContain(app.password);
    expect(server.aclFile).toMatch(/^user stellaops on #[0-9a-f]{64} /m);
  });

  it("lets the app user store DPoP nonces with TTLs and consume them once", async () => {
    expect(await client.set("authority:dpop:nonce:a", "1", "EX", 30, "NX")).toBe("OK");
    expect(await client.set("authority:dpop:nonce:b", "1", "PX", 30_000)).toBe("OK");
    expect(await client.ttl("authority:dpop:nonce:a")).toBeGreaterThan(0);
    expect(await client.call("GETDEL", "authority:dpop:nonce:a")).toBe("1");
    expect(await client.call("GETDEL", "authority:dpop:nonce:a")).toBeNull();
  });

  it("lets the app user run streams and consumer-group queues", async () => {
    const stream = "scanner:jobs";
    expect(await client.call("XGROUP", "CREATE", stream, "workers", "$", "MKSTREAM")).toBe("OK");
    const id = (await client.xadd(stream, "*", "job", "scan-1")) as string;
    const read = (await client.call("XREADGROUP", "GROUP", "workers", "w1", "COUNT", "1", "STREAMS", stream, ">")) as [
      string,
      [string, string[]][],
    ][];
    expect(read[0][1][0][0]).toBe(id);
    const claimed = (await client.call("XAUTOCLAIM", stream, "workers", "w2", "0", "0-0")) as [string, [string][]];
    expect(claimed[1][0][0]).toBe(id);
    expect(await client.xack(stream, "workers", id)).toBe(1);
    expect(await client.xadd("scanner.event.report.ready", "*", "scan", "1")).toMatch(/^\d+-\d+$/);
  });

  it("lets the app user run a token-bucket Lua script with EVAL and EVALSHA", async () => {
    const key = "gateway:ratelimit:tenant-a";
    const results: unknown[] = [];
    for (let i = 0; i < 3; i++) results.push(await client.call("EVAL", TOKEN_BUCKET, "1", key, "3", "1", "1000", "1"));
    expect(results).toEqual([1, 1, 1]);
    const sha = (await client.call("SCRIPT", "LOAD", TOKEN_BUCKET)) as string;
    expect(await client.call("EVALSHA", sha, "1", key, "3", "1", "1000", "1")).toBe(0);
    // Refilled after two seconds.
    expect(await client.call("EVALSHA", sha, "1", key, "3", "1", "3000", "1")).toBe(1);
    expect(await client.pttl(key)).toBeGreaterThan(0);
  });

  it("lets the app user count with INCR/EXPIRE and publish/subscribe", async () => {
    expect(await client.incr("gateway:counter:tenant-a")).toBe(1);
    expect(await client.expire("gateway:counter:tenant-a", 60)).toBe(1);
    const subscriber = await server.client(app);
    const received = new Promise<string>((resolve) =>
      subscriber.on("message", (_channel, message) => resolve(message)),
    );
    await subscriber.subscribe("scanner.scan.completed");
    expect(await client.publish("scanner.scan.completed", "scan-1")).toBe(1);
    expect(await received).toBe("scan-1");
  });

  it("lets StackExchange.Redis's connection handshake through (ECHO, CLIENT SETNAME/SETINFO, INFO, config channel)", async () => {
    expect(await client.call("ECHO", "hi")).toBe("hi");
    expect(await client.call("CLIENT", "SETNAME", "scanner-worker")).toBe("OK");
    expect(await client.call("CLIENT", "SETINFO", "LIB-NAME", "SE.Redis")).toBe("OK");
    expect(String(await client.call("INFO", "replication"))).toContain("role:master");
    const subscriber = await server.client(app);
    await expect(subscriber.subscribe("__Booksleeve_MasterChanged")).resolves.toBe(1);
  });

  it("refuses the app user FLUSHALL, FLUSHDB, CONFIG, DEBUG, SHUTDOWN, ACL, KEYS and every other excluded command", async () => {
    const outcomes = await Promise.all(REFUSED.map(async (args) => [args.join(" "), await refused(client, args)]));
    // DEBUG is also switched off for everyone (enable-debug-command no), which Valkey checks before the ACL.
    const allowed = outcomes.filter(([, message]) => !/NOPERM|DEBUG command not allowed/.test(message));
    expect(allowed).toEqual([]);
    // The server is still up and the data still there.
    expect(await client.exists("gateway:counter:tenant-a")).toBe(1);
  });

  it("refuses the app user every @dangerous command except INFO (checked with ACL DRYRUN over the server's own list)", async () => {
    const admin = await server.client(server.admin);
    const dangerous = (await admin.call("ACL", "CAT", "dangerous")) as string[];
    expect(dangerous.length).toBeGreaterThan(50);
    const allowed: string[] = [];
    for (const name of dangerous) {
      const info = (await admin.call("COMMAND", "INFO", name)) as [string, number][];
      const arity = info[0][1];
      const parts = name.split("|");
      const args = [...parts.slice(1)];
      const needed = Math.abs(arity) - parts.length;
      for (let i = 0; i < needed; i++) args.push("x");
      const verdict = String(await admin.call("ACL", "DRYRUN", app.name, parts[0], ...args));
      if (!/no permissions/.test(verdict)) allowed.push(name);
    }
    expect(allowed).toEqual(["info"]);
  });

  it("limits the healthcheck user to PING", async () => {
    const health = await server.client(server.users.get(HEALTHCHECK_ACL_USER.name)!);
    expect(await health.ping()).toBe("PONG");
    await expect(health.get("authority:tenant:a")).rejects.toThrow(/NOPERM/);
    await expect(health.call("INFO")).rejects.toThrow(/NOPERM/);
  });

  it("the Docker healthcheck command authenticates from its password file and fails with a wrong one", () => {
    const passwordFile = join(server.dir, "healthcheck.pass");
    const command = healthcheckShellCommand({ port: server.port, passwordFile, tls: false });
    const runs = (password: string): boolean => {
      writeFileSync(passwordFile, password, { mode: 0o400 });
      try {
        execFileSync("sh", ["-c", command], { stdio: "ignore", timeout: 10_000 });
        return true;
      } catch {
        return false;
      } finally {
        rmSync(passwordFile, { force: true });
      }
    };
    expect(runs(server.users.get(HEALTHCHECK_ACL_USER.name)!.password)).toBe(true);
    expect(runs("wrong-password")).toBe(false);
    expect(command).not.toContain(server.users.get(HEALTHCHECK_ACL_USER.name)!.password);
  });

  it("shows the admin appendonly yes, noeviction and the explicit maxmemory", async () => {
    const admin = await server.client(server.admin);
    expect(await admin.call("CONFIG", "GET", "appendonly")).toEqual(["appendonly", "yes"]);
    expect(await admin.call("CONFIG", "GET", "appendfsync")).toEqual(["appendfsync", "everysec"]);
    expect(await admin.call("CONFIG", "GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
    expect(await admin.call("CONFIG", "GET", "maxmemory")).toEqual(["maxmemory", String(1024 * 1024 * 1024)]);
    expect(await admin.call("CONFIG", "GET", "protected-mode")).toEqual(["protected-mode", "yes"]);
  });

  it("keeps data across a graceful restart and across a crash (SIGKILL) right after the writes", async () => {
    await client.set("scanner:jobs:idemp:abc", "done");
    await client.hset("authority:tenant:a", "plan", "gold");
    await client.xadd("notify:deliveries", "*", "to", "ops");
    await server.restart();
    let after = await server.client(app);
    expect(await after.get("scanner:jobs:idemp:abc")).toBe("done");
    expect(await after.hget("authority:tenant:a", "plan")).toBe("gold");
    expect(await after.xlen("notify:deliveries")).toBe(1);

    await after.set("scanner:jobs:idemp:def", "written-just-before-the-crash");
    await server.crashAndRestart();
    after = await server.client(app);
    expect(await after.get("scanner:jobs:idemp:def")).toBe("written-just-before-the-crash");
    expect(await after.get("scanner:jobs:idemp:abc")).toBe("done");
    expect(readdirSync(server.dir)).toContain("appendonlydir");
    client = after;
  });
});
