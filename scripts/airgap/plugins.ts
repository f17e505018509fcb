import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The Pulumi provider plugins the installed `@pulumi/*` SDKs (and any other Pulumi package) require, read from
 * package-lock.json and each installed package's package.json, never typed by hand. A package is a provider SDK
 * when its package.json says `pulumi.resource: true`; the plugin is `pulumi.name` at `pulumi.version` (falling
 * back to the package name and version), which is what the Node.js language host reports to the engine.
 */

export type Platform = "linux-amd64" | "linux-arm64" | "darwin-amd64" | "darwin-arm64";
export const PLATFORMS: readonly Platform[] = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64"];

export interface InstalledSdk {
  /** npm package name, e.g. `@pulumi/docker`. */
  package: string;
  /** Version in package-lock.json. */
  lockedVersion: string;
  /** Version in node_modules/<package>/package.json. */
  installedVersion: string;
  dev: boolean;
  pulumi: { name?: string; version?: string; server?: string };
}

export interface PluginEntry {
  kind: "resource";
  name: string;
  version: string;
  sdk: string;
  sdkVersion: string;
  /** The stack's plan registers resources of this provider (every plugin is carried: see docs/airgap.md). */
  usedByStack: boolean;
  /** Path of the plugin archive inside the kit. */
  file: string;
  downloadUrl: string;
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
}

interface PackageJson {
  name?: string;
  version?: string;
  pulumi?: { resource?: boolean; name?: string; version?: string; server?: string };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/**
 * Every installed package with `pulumi.resource: true`, checked against the lockfile. Problems: a locked package
 * that is not installed, or installed at another version than the lockfile says (node_modules is stale).
 */
export function readInstalledSdks(root: string): { sdks: InstalledSdk[]; problems: string[] } {
  const lock = readJson<{ packages?: Record<string, LockEntry> }>(join(root, "package-lock.json"));
  const sdks: InstalledSdk[] = [];
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path.startsWith("node_modules/") && !path.includes("/node_modules/")) continue;
    const manifestPath = join(root, path, "package.json");
    if (!existsSync(manifestPath)) {
      // Optional packages for other platforms are legitimately absent.
      if (entry.optional || entry.devOptional) continue;
      if (path.startsWith("node_modules/@pulumi/")) {
        problems.push(`${path} is in package-lock.json but not installed: run \`npm ci\``);
      }
      continue;
    }
    const pkg = readJson<PackageJson>(manifestPath);
    if (pkg.pulumi?.resource !== true) continue;
    const packageName = pkg.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    const installedVersion = String(pkg.version ?? "").replace(/^v/, "");
    const lockedVersion = String(entry.version ?? "").replace(/^v/, "");
    if (installedVersion !== lockedVersion) {
      problems.push(
        `${packageName} is installed at ${installedVersion} but package-lock.json locks ${lockedVersion}: run \`npm ci\``,
      );
    }
    sdks.push({
      package: packageName,
      lockedVersion,
      installedVersion,
      dev: entry.dev === true,
      pulumi: { name: pkg.pulumi.name, version: pkg.pulumi.version, server: pkg.pulumi.server },
    });
  }
  return { sdks, problems };
}

export function pluginFileName(name: string, version: string, platform: Platform): string {
  return `pulumi-resource-${name}-v${version}-${platform}.tar.gz`;
}

/** Where the connected machine downloads the archive: the SDK's `pulumi.server`, else Pulumi's own server. */
export function pluginDownloadUrl(name: string, version: string, platform: Platform, server?: string): string {
  const file = pluginFileName(name, version, platform);
  if (server === undefined || server === "") return `https://get.pulumi.com/releases/plugins/${file}`;
  const github = /^github:\/\/api\.github\.com\/([^/]+)\/?$/.exec(server);
  if (github) return `https://github.com/${github[1]}/pulumi-${name}/releases/download/v${version}/${file}`;
  return `${server.replace(/\/+$/, "")}/${file}`;
}

/** One plugin per (name, version), sorted; pure. */
export function pluginsFromSdks(
  sdks: readonly InstalledSdk[],
  platform: Platform,
  used: ReadonlySet<string>,
): PluginEntry[] {
  const byKey = new Map<string, PluginEntry>();
  for (const sdk of sdks) {
    const name = sdk.pulumi.name ?? sdk.package.replace(/^@[^/]+\//, "").replace(/^pulumi-/, "");
    const version = (sdk.pulumi.version ?? sdk.installedVersion).replace(/^v/, "");
    const key = `${name}@${version}`;
    if (byKey.has(key)) continue;
    byKey.set(key, {
      kind: "resource",
      name,
      version,
      sdk: sdk.package,
      sdkVersion: sdk.installedVersion,
      usedByStack: used.has(name),
      file: `plugins/${pluginFileName(name, version, platform)}`,
      downloadUrl: pluginDownloadUrl(name, version, platform, sdk.pulumi.server),
    });
  }
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** Provider packages the plan's custom resources belong to (`docker:index/…` and `pulumi:providers:docker`). */
export function packagesUsedByPlan(resources: readonly { type: string; custom: boolean }[]): Set<string> {
  const used = new Set<string>();
  for (const r of resources) {
    if (!r.custom) continue;
    const [pkg, module, rest] = r.type.split(":");
    if (pkg === "pulumi" && module === "providers" && rest) used.add(rest);
    else if (pkg && pkg !== "pulumi") used.add(pkg);
  }
  return used;
}
