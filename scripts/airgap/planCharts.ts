import type { PlanDocument } from "../../plan/offlinePlan";
import type { ResourceUse } from "./planImages";

/**
 * Every Helm chart a plan installs, found generically: any resource whose type is a `helm.sh` token and whose
 * inputs carry a `chart` string (helm v3 Release, v3/v4 Chart). Pure: classification only, no file access.
 */

export type ChartSourceKind = "oci" | "file" | "repository";

export interface FoundChart {
  /** As Helm is given it: an `oci://` reference, a path, or a name within `repository`. */
  chart: string;
  version?: string;
  /** `repositoryOpts.repo` when the chart comes from a Helm repository. */
  repository?: string;
  kind: ChartSourceKind;
  usedBy: ResourceUse[];
}

/** Exact chart versions only: a range is resolved at install time, which a sealed site cannot reproduce. */
export const EXACT_CHART_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** How Helm would resolve the chart argument. */
export function chartSourceKind(chart: string, repository: string | undefined): ChartSourceKind {
  if (repository !== undefined) return "repository";
  if (chart.startsWith("oci://")) return "oci";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(chart)) return "repository";
  // Helm takes anything else as a local path first (and only then as `repo/name` from its repository cache,
  // which a sealed machine does not have): the manifest checks that the file exists.
  return "file";
}

export function chartsInPlan(plan: Pick<PlanDocument, "resources">): FoundChart[] {
  const byKey = new Map<string, FoundChart>();
  for (const resource of plan.resources) {
    if (!resource.type.includes("helm.sh")) continue;
    const chart = resource.inputs["chart"];
    if (typeof chart !== "string" || chart === "") continue;
    const version = typeof resource.inputs["version"] === "string" ? resource.inputs["version"] : undefined;
    const opts = resource.inputs["repositoryOpts"];
    const repository = isObject(opts) && typeof opts["repo"] === "string" ? opts["repo"] : undefined;
    const key = `${repository ?? ""}|${chart}|${version ?? ""}`;
    const entry: FoundChart = byKey.get(key) ?? {
      chart,
      ...(version !== undefined && { version }),
      ...(repository !== undefined && { repository }),
      kind: chartSourceKind(chart, repository),
      usedBy: [],
    };
    entry.usedBy.push({ urn: resource.urn, type: resource.type, name: resource.name, path: "chart" });
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => a.chart.localeCompare(b.chart));
}

/** The chart's own name: last path segment without version suffix or archive extension. */
export function chartName(chart: string): string {
  const last = chart.replace(/\/+$/, "").split("/").pop() ?? chart;
  return last.replace(/\.(tgz|tar\.gz)$/, "").replace(/-v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, "");
}

/** Remote manifests (`kubernetes:yaml…` resources reading a URL) cannot be fetched on a sealed site. */
export function remoteManifestsInPlan(plan: Pick<PlanDocument, "resources">): { url: string; usedBy: ResourceUse }[] {
  const found: { url: string; usedBy: ResourceUse }[] = [];
  for (const resource of plan.resources) {
    if (!resource.type.startsWith("kubernetes:yaml")) continue;
    for (const key of ["file", "files"]) {
      const raw = resource.inputs[key];
      const values = Array.isArray(raw) ? raw : [raw];
      for (const value of values) {
        if (typeof value === "string" && /^https?:\/\//.test(value)) {
          found.push({
            url: value,
            usedBy: { urn: resource.urn, type: resource.type, name: resource.name, path: key },
          });
        }
      }
    }
  }
  return found;
}
