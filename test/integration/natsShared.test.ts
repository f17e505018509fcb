import { spawnSync } from "node:child_process";
import { createConnection } from "node:net";
import { AckPolicy, StorageType, StringCodec, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { natsUrlWithCredentials } from "../../components/nats/connections";
import { natsSettings } from "../../components/nats/settings";
import { dockerHealthcheckTest } from "../../components/nats/docker";
import { findBinary, freePort, serverBinaryOrSkip } from "../support/servers";
import { FIXTURES } from "./natsFixtures";
import {
  configTest,
  credentialsOf,
  dockerStyleConf,
  ownNonLoopbackAddresses,
  startNatsServer,
  type NatsTestServer,
} from "./natsServer";

/** Shared mode on a real nats-server: the rendered Docker configuration, one application user, the system account. */

const bin = serverBinaryOrSkip("nats-server", "nats-server");
const sc = StringCodec();

/** A plaintext password full of characters the conf syntax cares about, to prove the escaping on the real parser. */
const AWKWARD = { name: "escaping-probe", password: 'p"a\\ss$w{o}rd #; [x]\ty' };

/** The Docker healthcheck's command run here (GNU and busybox wget take the same flags); its exit code. */
function healthcheck(monitorPort: number): number | null {
  const [, command, ...args] = dockerHealthcheckTest(monitorPort);
  expect(command).toBe("wget");
  return spawnSync(findBinary("wget") as string, args, { stdio: "ignore", timeout: 10_000 }).status;
}

/** Whether a TCP connection to host:port is accepted (refused or timed out: false). */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

describe.skipIf(!bin)("NATS on a real server: shared mode", () => {
  const settings = natsSettings.parse({ enabled: true });
  let server: NatsTestServer;
  let app: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer(bin!, {
      render: dockerStyleConf(settings, [{ name: AWKWARD.name, password: AWKWARD.password }]),
    });
    app = await server.client(credentialsOf(settings, "stellaops"));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("passes the server's own configuration test", () => {
    expect(configTest(bin!, server.confPath)).toMatch(/configuration file .* is valid/);
  });

  it("refuses anonymous connections and wrong passwords", async () => {
    await expect(server.client()).rejects.toThrow(/Authorization Violation/i);
    await expect(server.client({ user: "stellaops", pass: "not-the-password" })).rejects.toThrow(
      /Authorization Violation/i,
    );
    // The hash itself is not a password.
    await expect(server.client({ user: "stellaops", pass: FIXTURES.stellaops.bcrypt })).rejects.toThrow(
      /Authorization Violation/i,
    );
  });

  it("authenticates with the credentials read back from the URL form of the output", async () => {
    // nats.js ignores URL userinfo, so read it back the way clients that honour it do.
    const url = new URL(
      natsUrlWithCredentials(`nats://127.0.0.1:${server.ports.client}`, "stellaops", FIXTURES.stellaops.password),
    );
    const nc = await server.client({
      servers: `${url.hostname}:${url.port}`,
      user: decodeURIComponent(url.username),
      pass: decodeURIComponent(url.password),
    });
    expect(nc.info?.jetstream).toBe(true);
  });

  it("reads back an escaped password exactly as written", async () => {
    const nc = await server.client({ user: AWKWARD.name, pass: AWKWARD.password });
    await nc.flush();
    expect(nc.isClosed()).toBe(false);
  });

  it("lets the application user create SCANNER_JOBS, publish, and consume through a durable consumer with acks", async () => {
    const jsm = await app.jetstreamManager();
    await jsm.streams.add({ name: "SCANNER_JOBS", subjects: ["scanner.jobs"], storage: StorageType.File });
    const js = app.jetstream();
    for (const job of ["job-1", "job-2"]) {
      const ack = await js.publish("scanner.jobs", sc.encode(job));
      expect(ack.stream).toBe("SCANNER_JOBS");
    }
    await jsm.consumers.add("SCANNER_JOBS", { durable_name: "scanner-workers", ack_policy: AckPolicy.Explicit });
    const consumer = await js.consumers.get("SCANNER_JOBS", "scanner-workers");
    const received: string[] = [];
    for (let i = 0; i < 2; i++) {
      const msg = await consumer.next({ expires: 5000 });
      expect(msg).not.toBeNull();
      received.push(sc.decode(msg!.data));
      expect(await msg!.ackAck()).toBe(true);
    }
    expect(received).toEqual(["job-1", "job-2"]);
    const info = await consumer.info();
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBe(2);
    // The stream is file-backed in the configured store, within the configured limits.
    const stream = await jsm.streams.info("SCANNER_JOBS");
    expect(stream.state.messages).toBe(2);
    const jsz = JSON.parse((await server.monitor("/varz")).body) as { jetstream: { config: Record<string, unknown> } };
    expect(jsz.jetstream.config["max_storage"]).toBe(8 * 1024 ** 3);
    expect(jsz.jetstream.config["max_memory"]).toBe(256 * 1024 ** 2);
  });

  it("keeps the application account apart from the system account", async () => {
    // The admin (system account) sees the server; the application user has no system responders.
    const admin = await server.client({ user: "admin", pass: FIXTURES.admin.password });
    const ping = await admin.request("$SYS.REQ.SERVER.PING", undefined, { timeout: 2000 });
    expect(JSON.parse(sc.decode(ping.data)).server.name).toBe("stellaops-test-nats");
    await expect(app.request("$SYS.REQ.SERVER.PING", undefined, { timeout: 1000 })).rejects.toThrow(
      /503|no responders|TIMEOUT/i,
    );
  });

  it.skipIf(!findBinary("wget"))("passes the Docker healthcheck only while the server is up", async () => {
    expect(healthcheck(server.ports.monitor)).toBe(0);
    expect(healthcheck(await freePort())).not.toBe(0);
  });

  it("serves monitoring on loopback only", async () => {
    expect((await server.monitor("/healthz")).status).toBe(200);
    const addresses = ownNonLoopbackAddresses();
    for (const address of addresses) {
      expect(await accepts(address, server.ports.monitor), `monitoring reachable on ${address}`).toBe(false);
    }
    // The probe itself works: the same port accepts on loopback.
    expect(await accepts("127.0.0.1", server.ports.monitor)).toBe(true);
    if (addresses.length === 0) {
      console.info("no non-loopback IPv4 address on this machine: relying on /varz http_host = 127.0.0.1");
    }
    const varz = JSON.parse((await server.monitor("/varz")).body) as { http_host: string };
    expect(varz.http_host).toBe("127.0.0.1");
  });
});
