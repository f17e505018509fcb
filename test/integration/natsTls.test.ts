import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { StringCodec, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TLS_HANDSHAKE_TIMEOUT_SECONDS, type NatsTlsFiles } from "../../components/nats/renderConf";
import { DOCKER_TLS_FILES, TLS_DIR, dockerHealthcheckTest } from "../../components/nats/docker";
import { natsSettings } from "../../components/nats/settings";
import { findBinary, serverBinaryOrSkip, tempDir } from "../support/servers";
import { FIXTURES } from "./natsFixtures";
import { configTest, credentialsOf, dockerStyleConf, startNatsServer, type NatsTestServer } from "./natsServer";
import { writeServerTls } from "./natsTlsCerts";

/**
 * Client TLS on a real nats-server: the Docker rendering with its tls block, the certificate files laid out as
 * docker.nats.tls.hostDir must hold them (a throwaway CA and server certificate made with openssl). A client that
 * trusts the CA connects; a plaintext client and a client trusting another CA are refused; monitoring (the
 * healthcheck) stays plain HTTP.
 */

const bin = serverBinaryOrSkip("nats-server", "nats-server");
const openssl = serverBinaryOrSkip("openssl", "openssl");
const sc = StringCodec();

/** What a client that never starts TLS sees: the server's INFO line, then whatever follows until it closes. */
function plaintextSession(port: number): Promise<{ info: Record<string, unknown>; after: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let received = "";
    let info: Record<string, unknown> | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      if (!info) return reject(new Error(`no INFO from the server; received: ${received}`));
      const after = received.slice(received.indexOf("\r\n") + 2);
      resolve({ info, after, closed });
    };
    // Bounded: the server's TLS handshake timeout is 5 s; an open connection after 10 s counts as accepted.
    const timer = setTimeout(() => finish(false), 10_000);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (!info && received.includes("\r\n")) {
        const line = received.slice(0, received.indexOf("\r\n"));
        info = JSON.parse(line.replace(/^INFO /, "")) as Record<string, unknown>;
        const connect = { verbose: true, pedantic: false, user: "stellaops", pass: FIXTURES.stellaops.password };
        socket.write(`CONNECT ${JSON.stringify(connect)}\r\nPING\r\n`);
      }
    });
    socket.on("close", () => finish(true));
    socket.on("error", () => undefined); // a reset is reported through "close"
  });
}

describe.skipIf(!bin || !openssl)("NATS on a real server: client TLS", () => {
  const settings = natsSettings.parse({ enabled: true });
  const certs = tempDir("nats-tls");
  let server: NatsTestServer;
  let caFile: string;
  let otherCaFile: string;

  beforeAll(async () => {
    ({ ca: caFile, otherCa: otherCaFile } = writeServerTls(openssl!, certs.path));
    // The Docker file's paths with /tls replaced by the directory the operator would mount there.
    const files = Object.fromEntries(
      Object.entries(DOCKER_TLS_FILES).map(([k, path]) => [k, path.replace(TLS_DIR, certs.path)]),
    ) as unknown as NatsTlsFiles;
    server = await startNatsServer(bin!, { render: dockerStyleConf(settings, [], files) });
  });
  afterAll(async () => {
    await server?.stop();
    certs.remove();
  });

  it("passes the server's own configuration test with the tls block", () => {
    expect(readFileSync(server.confPath, "utf8")).toContain(`cert_file: "${join(certs.path, "tls.crt")}"`);
    expect(configTest(bin!, server.confPath)).toMatch(/configuration file .* is valid/);
  });

  it("runs with TLS required and the handshake timeout from the block (not the server's 2 s default)", async () => {
    const varz = JSON.parse((await server.monitor("/varz")).body) as Record<string, unknown>;
    expect(varz["tls_required"]).toBe(true);
    expect(varz["tls_verify"] ?? false).toBe(false); // omitted when false
    expect(varz["tls_timeout"]).toBe(TLS_HANDSHAKE_TIMEOUT_SECONDS);
  });

  it("lets a client that trusts the CA connect over TLS, authenticate and exchange messages", async () => {
    const nc: NatsConnection = await server.client({
      ...credentialsOf(settings, "stellaops"),
      tls: { caFile },
    });
    expect(nc.info?.tls_required).toBe(true);
    const sub = nc.subscribe("scanner.jobs", { max: 1 });
    nc.publish("scanner.jobs", sc.encode("over-tls"));
    for await (const msg of sub) expect(sc.decode(msg.data)).toBe("over-tls");
    // Credentials still apply over TLS.
    await expect(server.client({ user: "stellaops", pass: "not-the-password", tls: { caFile } })).rejects.toThrow(
      /Authorization Violation/i,
    );
  });

  it("refuses a plaintext client: it never gets a PONG or +OK, and the server closes the connection", async () => {
    const session = await plaintextSession(server.ports.client);
    expect(session.info["tls_required"]).toBe(true);
    expect(session.after).not.toMatch(/PONG|\+OK/);
    expect(session.closed).toBe(true);
    expect(server.log()).toMatch(/TLS handshake error: tls: first record does not look like a TLS handshake/);
  });

  it("refuses a client that trusts another CA (the server's certificate is really checked)", async () => {
    await expect(
      server.client({ ...credentialsOf(settings, "stellaops"), tls: { caFile: otherCaFile } }),
    ).rejects.toThrow(/certificate|self[- ]signed|verify/i);
  });

  it.skipIf(!findBinary("wget"))("still passes the Docker healthcheck: monitoring stays plain HTTP", () => {
    const [, command, ...args] = dockerHealthcheckTest(server.ports.monitor);
    expect(command).toBe("wget");
    expect(spawnSync(findBinary("wget") as string, args, { stdio: "ignore", timeout: 10_000 }).status).toBe(0);
  });
});
