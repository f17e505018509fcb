import { existsSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../plan/stackFiles";

/**
 * The upstream data files (CRDs, chart values) beside the project: `../shared/upstream` (the checkout and CI),
 * or `../../shared/upstream` from a git worktree one level further down; STELLAOPS_UPSTREAM_DIR overrides both.
 */
export function upstreamDir(): string {
  const candidates = [
    process.env["STELLAOPS_UPSTREAM_DIR"],
    join(PROJECT_ROOT, "..", "shared", "upstream"),
    join(PROJECT_ROOT, "..", "..", "shared", "upstream"),
  ].filter((d): d is string => d !== undefined && d !== "");
  const found = candidates.find((d) => existsSync(join(d, "README.md")));
  if (!found) throw new Error(`the upstream data files are missing: looked in ${candidates.join(", ")}`);
  return found;
}

export const upstreamPath = (...parts: string[]): string => join(upstreamDir(), ...parts);

export const CNPG_CRDS = () => upstreamPath("cloudnative-pg-1.28.0", "crds");
export const BARMAN_CRDS = () => upstreamPath("plugin-barman-cloud-0.14.0", "crds");
export const VALKEY_CHART = (file: string) => upstreamPath("valkey-chart-0.9.4", file);
export const NATS_CHART = (file: string) => upstreamPath("nats-chart-1.3.13", file);
