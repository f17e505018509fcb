import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Valkey from "iovalkey";
import { serverAclUsers, type AclUser } from "../../components/valkey/model";
import { renderAclFile, sha256Hex } from "../../components/valkey/renderAcl";
import { renderValkeyConf } from "../../components/valkey/renderConf";
import type { ValkeySettings } from "../../components/valkey/settings";
import { freePort, tempDir, waitUntil } from "../support/servers";

/**
 * A real valkey-server for the integration tier, started from the program's own renderers: the rendered
 * valkey.conf and ACL file (hashes only) in a temporary directory, listening on a free loopback port.
 */

export interface TestUser {
  readonly name: string;
  readonly password: string;
}

export interface ValkeyTestServer {
  readonly port: number;
  readonly dir: string;
  readonly admin: TestUser;
  /** Application users and the healthcheck user by name, with plaintext passwords (the server has only hashes). */
  readonly users: ReadonlyMap<string, TestUser>;
  readonly aclFile: string;
  /** A client; authenticated when a user is given. Closed by stop(). */
  client(user?: TestUser): Promise<Valkey>;
  /** Graceful stop (SIGTERM), then start again on the same directory. */
  restart(): Promise<void>;
  /** SIGKILL (no shutdown work at all), then start again on the same directory. */
  crashAndRestart(): Promise<void>;
  /** Stops the server, closes clients and removes the directory. */
  stop(): Promise<void>;
}

export async function startValkeyServer(
  binary: string,
  settings: ValkeySettings,
  appUsers: readonly AclUser[],
): Promise<ValkeyTestServer> {
  const dir = tempDir("valkey");
  const port = await freePort();
  const random = () => Math.random().toString(36).slice(2);
  const admin: TestUser = { name: settings.adminUser, password: `admin-${random()}` };
  // The Docker server's own users (default off, admin, healthcheck), as the component adds them, then the app users.
  const serverUsers = serverAclUsers({ platform: "docker" }, settings.adminUser);
  const passwords = new Map<string, string>(
    [...serverUsers, ...appUsers]
      .filter((u) => u.enabled && u.role !== "admin")
      .map((u) => [u.name, `pw-${u.name}-${random()}`]),
  );
  const aclFile = renderAclFile(
    [...serverUsers, ...appUsers].map((user) => {
      const password = user.role === "admin" ? admin.password : passwords.get(user.name);
      return { user, passwordSha256: password === undefined ? undefined : sha256Hex(password) };
    }),
  );
  const aclPath = join(dir.path, "users.acl");
  const confPath = join(dir.path, "valkey.conf");
  writeFileSync(aclPath, aclFile);
  writeFileSync(
    confPath,
    renderValkeyConf({ settings, port, bind: ["127.0.0.1"], dir: dir.path, aclFile: aclPath }) +
      // Test-only: log to a file the suite can show when the server fails to start.
      `logfile ${join(dir.path, "valkey.log")}\n`,
  );

  const clients: Valkey[] = [];
  let child: ChildProcess | undefined;

  const connect = async (user?: TestUser): Promise<Valkey> => {
    const client = new Valkey({
      host: "127.0.0.1",
      port,
      username: user?.name,
      password: user?.password,
      lazyConnect: true,
      // The ready check runs INFO, which an unauthenticated client may not: it would close the connection.
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    // Authentication failures surface on the commands that follow; the event only needs a listener.
    client.on("error", () => undefined);
    clients.push(client);
    await client.connect();
    return client;
  };

  const launch = async (): Promise<void> => {
    const log = openSync(join(dir.path, "stdout.log"), "a");
    child = spawn(binary, [confPath], { stdio: ["ignore", log, log] });
    closeSync(log);
    const started = child;
    try {
      await waitUntil(async () => {
        if (started.exitCode !== null) return true; // reported below, without waiting out the attempts
        const probe = await connect(admin);
        try {
          return (await probe.ping()) === "PONG";
        } finally {
          probe.disconnect();
        }
      }, `valkey-server on 127.0.0.1:${port}`);
      if (started.exitCode !== null) throw new Error(`valkey-server exited with code ${started.exitCode}`);
    } catch (err) {
      throw new Error(`${String(err)}\n--- valkey.log ---\n${readLog(dir.path)}`);
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    for (const c of clients.splice(0)) c.disconnect();
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill(signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (running.exitCode === null && running.signalCode === null) {
      running.kill("SIGKILL");
      await exited;
    }
  };

  await launch();
  return {
    port,
    dir: dir.path,
    admin,
    aclFile,
    users: new Map([...passwords].map(([name, password]) => [name, { name, password }])),
    client: connect,
    restart: async () => {
      await halt("SIGTERM");
      await launch();
    },
    crashAndRestart: async () => {
      await halt("SIGKILL");
      await launch();
    },
    stop: async () => {
      await halt("SIGTERM");
      dir.remove();
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, "valkey.log"), "utf8").slice(-4000);
  } catch {
    return "(no log)";
  }
}
