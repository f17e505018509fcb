import type Valkey from "iovalkey";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appAclUsers } from "../../components/valkey/model";
import { valkeySettings } from "../../components/valkey/settings";
import { serverBinaryOrSkip } from "../support/servers";
import { startValkeyServer, type ValkeyTestServer } from "./valkeyServer";

/** per-service ACL mode on a real valkey-server: each service reaches only its own keys and channels. */

const bin = serverBinaryOrSkip("valkey-server", "valkey-server (bookworm-backports)");

describe.skipIf(!bin)("Valkey ACLs on a real server: per-service mode", () => {
  const settings = valkeySettings.parse({
    aclMode: "per-service",
    // Notify consumes Scanner's report events with its own consumer group (XREADGROUP writes the group state).
    extraKeyPatterns: { notify: ["scanner.event.*"] },
    // Policy may look at Scanner's dead-letter queue but not change it.
    extraReadKeyPatterns: { policy: ["scanner:jobs:dead"] },
  });
  let server: ValkeyTestServer;
  let scanner: Valkey;
  let notify: Valkey;
  let policy: Valkey;

  beforeAll(async () => {
    server = await startValkeyServer(bin!, settings, appAclUsers(settings));
    scanner = await server.client(server.users.get("stellaops-scanner")!);
    notify = await server.client(server.users.get("stellaops-notify")!);
    policy = await server.client(server.users.get("stellaops-policy")!);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("lets a service use its own keys, streams and channels", async () => {
    expect(await scanner.set("scanner:jobs:idemp:1", "x", "EX", 60)).toBe("OK");
    expect(await scanner.call("XGROUP", "CREATE", "scanner:jobs", "workers", "$", "MKSTREAM")).toBe("OK");
    expect(await scanner.xadd("scanner.event.report.ready", "*", "scan", "1")).toMatch(/^\d+-\d+$/);
    expect(await scanner.publish("scanner.scan.completed", "1")).toBe(0);
    expect(await notify.set("notify:digest:1", "y")).toBe("OK");
  });

  it("refuses a service another service's keys, for reads, writes and inside scripts", async () => {
    await expect(notify.get("scanner:jobs:idemp:1")).rejects.toThrow(/NOPERM/);
    await expect(notify.set("scanner:jobs:idemp:1", "hijack")).rejects.toThrow(/NOPERM/);
    await expect(notify.del("scanner:jobs:idemp:1")).rejects.toThrow(/NOPERM/);
    await expect(scanner.get("notify:digest:1")).rejects.toThrow(/NOPERM/);
    await expect(scanner.xadd("notify:deliveries", "*", "a", "b")).rejects.toThrow(/NOPERM/);
    await expect(scanner.call("EVAL", "return redis.call('GET', KEYS[1])", "1", "notify:digest:1")).rejects.toThrow(
      /NOPERM|permissions/,
    );
    // A script cannot reach a key it did not declare either.
    await expect(scanner.call("EVAL", "return redis.call('GET', 'notify:digest:1')", "0")).rejects.toThrow(
      /NOPERM|permissions/,
    );
    await expect(scanner.call("COPY", "scanner:jobs:idemp:1", "notify:stolen")).rejects.toThrow(/NOPERM/);
    const admin = await server.client(server.admin);
    expect(await admin.get("scanner:jobs:idemp:1")).toBe("x");
    expect(await admin.get("notify:digest:1")).toBe("y");
  });

  it("refuses a service another service's channels", async () => {
    await expect(scanner.publish("notify.delivered", "1")).rejects.toThrow(/NOPERM/);
    const sub = await server.client(server.users.get("stellaops-scanner")!);
    await expect(sub.subscribe("notify.delivered")).rejects.toThrow(/NOPERM/);
    await expect(sub.psubscribe("*")).rejects.toThrow(/NOPERM/);
  });

  it("extra read-write patterns let Notify consume Scanner's events with its own consumer group", async () => {
    const stream = "scanner.event.report.ready";
    expect(await notify.call("XGROUP", "CREATE", stream, "notify", "0")).toBe("OK");
    const read = (await notify.call("XREADGROUP", "GROUP", "notify", "n1", "STREAMS", stream, ">")) as unknown[];
    expect(read).toHaveLength(1);
    // Only the granted pattern: Scanner's job queue stays out of reach.
    await expect(notify.call("XLEN", "scanner:jobs")).rejects.toThrow(/NOPERM/);
  });

  it("extra read-only patterns allow reads and refuse writes", async () => {
    expect(await scanner.rpush("scanner:jobs:dead", "job-7")).toBe(1);
    expect(await policy.lrange("scanner:jobs:dead", 0, -1)).toEqual(["job-7"]);
    await expect(policy.rpush("scanner:jobs:dead", "job-8")).rejects.toThrow(/NOPERM/);
    await expect(policy.del("scanner:jobs:dead")).rejects.toThrow(/NOPERM/);
  });

  it("keeps the dangerous-command exclusions for every service user", async () => {
    const gateway = await server.client(server.users.get("stellaops-gateway")!);
    await expect(gateway.call("FLUSHALL")).rejects.toThrow(/NOPERM/);
    await expect(gateway.call("KEYS", "*")).rejects.toThrow(/NOPERM/);
    await expect(gateway.call("FUNCTION", "FLUSH")).rejects.toThrow(/NOPERM/);
    expect(await gateway.incr("gateway:ratelimit:t1")).toBe(1);
  });
});
