import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Platform } from "./plugins";

/**
 * The toolchain a sealed site needs besides images, charts and plugins: the Pulumi CLI the project pins
 * (`Pulumi.version`, one line) and the npm lockfile the dependencies install from.
 */

export const CLI_PIN_FILE = "Pulumi.version";
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

export interface CliEntry {
  version: string;
  /** File in the project that pins it. */
  pinnedIn: string;
  /** Version of the installed @pulumi/pulumi SDK, for the reader's comparison. */
  sdkVersion: string;
  file: string;
  downloadUrl: string;
}

export interface NpmEntry {
  lockfile: string;
  sha256: string;
  lockfileVersion: number;
  /** Installed packages the lockfile lists (what `npm ci` will unpack from the cache). */
  packages: number;
  /** Kit directory holding the npm cache (`npm ci --cache <kit>/npm-cache`). */
  cache: string;
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** A directory's content hash: sha256 over its sorted relative paths and file hashes (for vendored chart dirs). */
export function sha256Tree(dir: string): string {
  const lines: string[] = [];
  const visit = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) visit(full);
      else lines.push(`${relative(dir, full)}\0${sha256File(full)}`);
    }
  };
  visit(dir);
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** Compares dotted numeric versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function cliArchive(version: string, platform: Platform): string {
  // The CLI archives name amd64 "x64" (plugins say "amd64").
  const [os, arch] = platform.split("-");
  return `pulumi-v${version}-${os}-${arch === "amd64" ? "x64" : arch}.tar.gz`;
}

export function readCliPin(root: string, platform: Platform): { cli?: CliEntry; problems: string[] } {
  const pinPath = join(root, CLI_PIN_FILE);
  const sdkVersion = String(
    (
      JSON.parse(readFileSync(join(root, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as {
        version?: string;
      }
    ).version ?? "",
  ).replace(/^v/, "");
  if (!existsSync(pinPath)) {
    return { problems: [`${CLI_PIN_FILE} is missing: it must hold the exact Pulumi CLI version (e.g. ${sdkVersion})`] };
  }
  const version = readFileSync(pinPath, "utf8").trim().replace(/^v/, "");
  if (!EXACT_VERSION.test(version)) {
    return { problems: [`${CLI_PIN_FILE} must hold one exact version such as ${sdkVersion}, not "${version}"`] };
  }
  const problems: string[] = [];
  if (compareVersions(version, sdkVersion) < 0) {
    problems.push(
      `${CLI_PIN_FILE} pins Pulumi CLI ${version}, older than the installed @pulumi/pulumi SDK ${sdkVersion}: pin ${sdkVersion} or later`,
    );
  }
  const file = cliArchive(version, platform);
  return {
    cli: {
      version,
      pinnedIn: CLI_PIN_FILE,
      sdkVersion,
      file: `pulumi/${file}`,
      downloadUrl: `https://get.pulumi.com/releases/sdk/${file}`,
    },
    problems,
  };
}

export function readNpmLockfile(root: string): NpmEntry {
  const path = join(root, "package-lock.json");
  const lock = JSON.parse(readFileSync(path, "utf8")) as {
    lockfileVersion?: number;
    packages?: Record<string, unknown>;
  };
  return {
    lockfile: "package-lock.json",
    sha256: sha256File(path),
    lockfileVersion: Number(lock.lockfileVersion ?? 0),
    packages: Object.keys(lock.packages ?? {}).filter((k) => k !== "").length,
    cache: "npm-cache",
  };
}
