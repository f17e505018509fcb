import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * Shared plumbing for the integration tier: locating server binaries, free loopback ports, temp dirs.
 * A missing binary skips only its suite, loudly, naming the Debian package; under CI=true it fails.
 */

const EXTRA_DIRS = ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/usr/bin"];

export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Returns the binary's path, or undefined after printing why the suite is skipped.
 * Throws under CI=true: CI installs every package first, so a missing binary there is a defect.
 */
export function serverBinaryOrSkip(name: string, debianPackage: string): string | undefined {
  const found = findBinary(name);
  if (found) return found;
  const message = `${name} not found: install the Debian package "${debianPackage}" to run this integration suite`;
  if (process.env.CI === "true") throw new Error(`${message} (CI=true: a missing server binary is a failure)`);
  console.warn(`\n*** SKIPPING: ${message} ***\n`);
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error("no port"));
      server.close(() => resolve(address.port));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `stellaops-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls `probe` until it resolves true or the attempts run out (bounded; never an open-ended wait). */
export async function waitUntil(
  probe: () => Promise<boolean>,
  what: string,
  attempts = 100,
  delayMs = 100,
): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    try {
      if (await probe()) return;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, delayMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs a command and returns stdout; stderr is included in the error when it fails. */
export function run(cmd: string, args: string[], options: { cwd?: string; input?: string } = {}): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], ...options });
}
