import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { connect, type ConnectionOptions, type NatsConnection } from "nats";
import {
  ADMIN_USER,
  renderNatsServerConf,
  type NatsTlsFiles,
  type NatsUserEntry,
} from "../../components/nats/renderConf";
import { natsAppUserSpecs } from "../../components/nats/model";
import type { NatsSettings } from "../../components/nats/settings";
import { freePort, tempDir, waitUntil } from "../support/servers";
import { fixtureFor } from "./natsFixtures";

/**
 * A real nats-server for the integration tier, started from a configuration the program's renderers produced,
 * on free loopback ports with a temporary store directory. stop() ends the process and removes the directory.
 */

export interface NatsPorts {
  readonly client: number;
  readonly monitor: number;
  readonly cluster: number;
}

export interface NatsTestServer {
  readonly ports: NatsPorts;
  readonly dir: string;
  readonly confPath: string;
  /** A client to this server; closed by stop(). */
  client(options?: ConnectionOptions): Promise<NatsConnection>;
  /** GET on the loopback monitoring endpoint. */
  monitor(path: string): Promise<{ status: number; body: string }>;
  log(): string;
  stop(): Promise<void>;
}

export interface NatsServerSpec {
  /** The configuration text, given this server's ports and store directory. */
  readonly render: (ports: NatsPorts, storeDir: string) => string;
  /** Extra environment for the process (what Kubernetes would inject from the Secret). */
  readonly env?: Readonly<Record<string, string>>;
  readonly ports?: Partial<NatsPorts>;
  /** Wait for /healthz (default) or only for the process to run. */
  readonly waitForHealthz?: boolean;
}

export async function allocatePorts(): Promise<NatsPorts> {
  return { client: await freePort(), monitor: await freePort(), cluster: await freePort() };
}

/** Runs `nats-server -t -c <file>` (the server's own config test); throws with its output when it fails. */
export function configTest(binary: string, confPath: string, env: Readonly<Record<string, string>> = {}): string {
  const result = spawnSync(binary, ["-t", "-c", confPath], { encoding: "utf8", env: { ...process.env, ...env } });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`nats-server -t failed (${result.status}):\n${output}`);
  return output;
}

export function httpGet(host: string, port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, timeout: 2000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

/** IPv4 addresses of this machine's own non-loopback interfaces (never anything off the machine). */
export function ownNonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
    .map((a) => (a as { address: string }).address);
}

export async function startNatsServer(binary: string, spec: NatsServerSpec): Promise<NatsTestServer> {
  const dir = tempDir("nats");
  const ports = { ...(await allocatePorts()), ...spec.ports };
  const storeDir = join(dir.path, "store");
  const confPath = join(dir.path, "nats-server.conf");
  writeFileSync(confPath, spec.render(ports, storeDir));
  const logPath = join(dir.path, "nats.log");
  const clients: NatsConnection[] = [];

  const out = openSync(logPath, "a");
  const child: ChildProcess = spawn(binary, ["-c", confPath], {
    stdio: ["ignore", out, out],
    env: { ...process.env, ...spec.env },
  });
  closeSync(out);
  const readLog = () => {
    try {
      return readFileSync(logPath, "utf8").slice(-6000);
    } catch {
      return "(no log)";
    }
  };

  const stop = async (): Promise<void> => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    dir.remove();
  };

  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) return true; // reported below without waiting out the attempts
      if (spec.waitForHealthz === false) return true;
      return (await httpGet("127.0.0.1", ports.monitor, "/healthz")).status === 200;
    }, `nats-server on 127.0.0.1:${ports.client}`);
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode}`);
  } catch (err) {
    const log = readLog();
    await stop();
    throw new Error(`${String(err)}\n--- nats-server log ---\n${log}`);
  }

  return {
    ports,
    dir: dir.path,
    confPath,
    client: async (options = {}) => {
      const nc = await connect({
        servers: `127.0.0.1:${ports.client}`,
        reconnect: false,
        timeout: 5000,
        ...options,
      });
      clients.push(nc);
      return nc;
    },
    monitor: (path) => httpGet("127.0.0.1", ports.monitor, path),
    log: readLog,
    stop,
  };
}

/**
 * The configuration the Docker server uploads, rendered by the same function with the same users, except that it
 * listens on loopback test ports and the hashes are the known-answer fixtures instead of generated ones.
 * `tls`: the certificate files (in the Docker server they are under /tls; here in a temporary directory).
 */
export function dockerStyleConf(
  settings: NatsSettings,
  extraAppUsers: readonly NatsUserEntry[] = [],
  tls?: NatsTlsFiles,
): (ports: NatsPorts, storeDir: string) => string {
  return (ports, storeDir) =>
    renderNatsServerConf({
      serverName: "stellaops-test-nats",
      listen: { host: "127.0.0.1", port: ports.client },
      ...(tls ? { tls } : {}),
      monitor: { host: "127.0.0.1", port: ports.monitor },
      jetstream: {
        storeDir,
        maxFileStore: settings.jetstream.maxFileStore,
        maxMemoryStore: settings.jetstream.maxMemoryStore,
      },
      appAccount: settings.account,
      appUsers: [
        ...natsAppUserSpecs(settings).map((u) => ({
          name: u.name,
          password: fixtureFor(u.name).bcrypt,
          permissions: u.permissions,
        })),
        ...extraAppUsers,
      ],
      systemUsers: [{ name: ADMIN_USER, password: fixtureFor(ADMIN_USER).bcrypt }],
    });
}

/** Connection options of a NATS user from the fixtures, with the inbox prefix its output would carry. */
export function credentialsOf(settings: NatsSettings, user: string): ConnectionOptions {
  const spec = natsAppUserSpecs(settings).find((u) => u.name === user);
  return { user, pass: fixtureFor(user).password, inboxPrefix: spec?.inboxPrefix };
}
