import { existsSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { PlanDocument } from "../../plan/offlinePlan";
import { configKeysForChart, configKeysForImage } from "./configKeys";
import { archiveFileName, isPinned, parseImageRef } from "./imageRef";
import {
  chartName,
  chartsInPlan,
  EXACT_CHART_VERSION,
  remoteManifestsInPlan,
  type ChartSourceKind,
} from "./planCharts";
import { imagesInPlan, type ResourceUse } from "./planImages";
import { packagesUsedByPlan, pluginsFromSdks, type InstalledSdk, type Platform, type PluginEntry } from "./plugins";
import { sha256File, sha256Tree, type CliEntry, type NpmEntry } from "./toolchain";

/**
 * The air-gap manifest: everything one stack needs on a sealed site, derived from its offline plan, the
 * lockfile and the installed SDKs, plus the problems that make the stack impossible to run offline.
 */

export const MANIFEST_FORMAT = "stellaops-airgap-manifest/v1";

export interface UsedBy {
  urn: string;
  type: string;
  name: string;
  /** Where in the resource's inputs, e.g. `values.image`. */
  path: string;
}

export interface ImageItem {
  reference: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** Stack config keys that set this reference (empty when it came from a default). */
  configKeys: string[];
  usedBy: UsedBy[];
  /** Archive of the image inside the kit (`docker save` or `skopeo copy … oci-archive:`). */
  file: string;
  /** Set when the kit is sealed (`--kit`). */
  sha256?: string;
}

export interface ChartItem {
  /** The chart argument Helm receives. */
  chart: string;
  name: string;
  version?: string;
  source: ChartSourceKind;
  repository?: string;
  /** OCI manifest digest when the reference pins one (`oci://…/chart@sha256:…`). */
  digest?: string;
  /** Vendored chart (source `file`): its path in the project; sha256 of the archive (or of the directory tree). */
  path?: string;
  /** Pulled chart archive inside the kit (source `oci`). */
  file?: string;
  sha256?: string;
  configKeys: string[];
  usedBy: UsedBy[];
}

export interface PluginItem extends PluginEntry {
  sha256?: string;
}

export interface AirgapManifest {
  format: typeof MANIFEST_FORMAT;
  project: string;
  stack: string;
  profile?: string;
  sealed: boolean;
  mirrorRegistry?: string;
  platform: Platform;
  pulumiCli: CliEntry & { sha256?: string };
  plugins: PluginItem[];
  images: ImageItem[];
  charts: ChartItem[];
  npm: NpmEntry;
}

export interface ManifestProblem {
  /** What is wrong, e.g. `image postgres:18.1`. */
  subject: string;
  configKeys: string[];
  usedBy: UsedBy[];
  message: string;
}

export interface ManifestInputs {
  plan: PlanDocument;
  /** Raw stack config (full key → string), as the CLI hands it to the program. */
  config: Readonly<Record<string, string>>;
  namespace: string;
  sdks: readonly InstalledSdk[];
  sdkProblems: readonly string[];
  cli?: CliEntry;
  cliProblems: readonly string[];
  npm: NpmEntry;
  platform: Platform;
  /** The Pulumi program's directory: Helm resolves vendored chart paths from there. */
  programRoot: string;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function airgapSettings(config: Readonly<Record<string, string>>, namespace: string) {
  const raw = parseJson(config[`${namespace}:airgap`]);
  const obj = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  return {
    sealed: obj["sealed"] === true,
    mirrorRegistry: typeof obj["mirrorRegistry"] === "string" ? obj["mirrorRegistry"] : undefined,
  };
}

const usedBy = (uses: readonly ResourceUse[]): UsedBy[] =>
  uses.map((u) => ({ urn: u.urn, type: u.type, name: u.name, path: u.path }));

function imageItems(inputs: ManifestInputs, mirror: string | undefined, problems: ManifestProblem[]): ImageItem[] {
  const items: ImageItem[] = [];
  for (const found of imagesInPlan(inputs.plan)) {
    const keys = configKeysForImage(inputs.config, inputs.namespace, found.reference);
    const problem = (message: string) =>
      problems.push({ subject: `image ${found.reference}`, configKeys: keys, usedBy: usedBy(found.usedBy), message });
    const ref = parseImageRef(found.reference);
    if (ref === undefined) {
      problem("not a valid image reference: [registry/]repository[:tag]@sha256:<64 hex digits>, lowercase");
      continue;
    }
    if (!isPinned(ref)) {
      problem(
        "not pinned by digest: use <mirror>/<repository>@sha256:<64 hex digits> (a tag can move, and a sealed site cannot check it)",
      );
    }
    if (mirror !== undefined && !ref.repository.startsWith(`${mirror}/`)) {
      problem(`not from the mirror registry ${mirror}: a sealed site can only pull from ${mirror}/…`);
    }
    items.push({
      reference: found.reference,
      repository: ref.repository,
      ...(ref.tag !== undefined && { tag: ref.tag }),
      ...(ref.digest !== undefined && { digest: ref.digest }),
      configKeys: keys,
      usedBy: usedBy(found.usedBy),
      file: archiveFileName(ref),
    });
  }
  return items;
}

function chartItems(inputs: ManifestInputs, mirror: string | undefined, problems: ManifestProblem[]): ChartItem[] {
  const items: ChartItem[] = [];
  for (const found of chartsInPlan(inputs.plan)) {
    const keys = configKeysForChart(inputs.config, inputs.namespace, found);
    const subject = `chart ${found.chart}${found.version ? ` ${found.version}` : ""}`;
    const problem = (message: string) =>
      problems.push({ subject, configKeys: keys, usedBy: usedBy(found.usedBy), message });
    const name = chartName(found.chart);
    const item: ChartItem = {
      chart: found.chart,
      name,
      ...(found.version !== undefined && { version: found.version }),
      source: found.kind,
      ...(found.repository !== undefined && { repository: found.repository }),
      configKeys: keys,
      usedBy: usedBy(found.usedBy),
    };
    if (found.kind === "repository") {
      problem(
        `comes from a Helm repository over the network (${found.repository ?? found.chart}): use the mirror (repository: oci://<mirror>/…) or a vendored chart (path: charts/<name>-<version>.tgz)`,
      );
    }
    if (found.kind === "oci") {
      const digest = /@(sha256:[a-f0-9]{64})$/.exec(found.chart)?.[1];
      if (digest !== undefined) item.digest = digest;
      if (found.version === undefined || !EXACT_CHART_VERSION.test(found.version)) {
        problem('has no exact version: set version to an exact chart version such as "0.7.0" (no ranges)');
      }
      const host = found.chart.slice("oci://".length).split("/")[0];
      if (mirror !== undefined && host !== mirror.split("/")[0]) {
        problem(`not from the mirror registry: use oci://${mirror.split("/")[0]}/… or a vendored chart`);
      }
      item.file = `charts/${name}-${(found.version ?? "unversioned").replace(/^v/, "")}.tgz`;
    }
    if (found.kind === "file") {
      const full = isAbsolute(found.chart) ? found.chart : join(inputs.programRoot, found.chart);
      item.path = found.chart;
      if (!existsSync(full)) {
        problem(
          "vendored chart not found in the project (a name without a repository would resolve from Helm's repository cache, which a sealed machine does not have)",
        );
      } else {
        item.sha256 = statSync(full).isDirectory() ? sha256Tree(full) : sha256File(full);
      }
    }
    items.push(item);
  }
  for (const remote of remoteManifestsInPlan(inputs.plan)) {
    problems.push({
      subject: `manifest ${remote.url}`,
      configKeys: [],
      usedBy: usedBy([remote.usedBy]),
      message: "is fetched from the network at deploy time: vendor the YAML file into the project",
    });
  }
  return items;
}

export function buildManifest(inputs: ManifestInputs): { manifest?: AirgapManifest; problems: ManifestProblem[] } {
  const { sealed, mirrorRegistry } = airgapSettings(inputs.config, inputs.namespace);
  const mirror = sealed ? mirrorRegistry : undefined;
  const problems: ManifestProblem[] = [];
  const toolProblem = (subject: string) => (message: string) =>
    problems.push({ subject, configKeys: [], usedBy: [], message });

  const images = imageItems(inputs, mirror, problems);
  const charts = chartItems(inputs, mirror, problems);
  const used = packagesUsedByPlan(inputs.plan.resources);
  const plugins = pluginsFromSdks(inputs.sdks, inputs.platform, used);
  inputs.sdkProblems.forEach(toolProblem("provider SDKs"));
  for (const pkg of [...used].sort()) {
    if (!plugins.some((p) => p.name === pkg)) {
      toolProblem(`provider ${pkg}`)("the plan uses it but no installed SDK declares its plugin (pulumi.resource)");
    }
  }
  inputs.cliProblems.forEach(toolProblem("Pulumi CLI"));
  if (inputs.cli === undefined) return { problems };

  const profile = inputs.plan.outputs["profile"];
  return {
    manifest: {
      format: MANIFEST_FORMAT,
      project: inputs.plan.project,
      stack: inputs.plan.stack,
      ...(typeof profile === "string" && { profile }),
      sealed,
      ...(mirrorRegistry !== undefined && { mirrorRegistry }),
      platform: inputs.platform,
      pulumiCli: inputs.cli,
      plugins,
      images,
      charts,
      npm: inputs.npm,
    },
    problems,
  };
}

export function formatProblems(stack: string, problems: readonly ManifestProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map((p) => {
    const fromConfig = /^(image|chart) /.test(p.subject);
    const keys =
      p.configKeys.length > 0
        ? ` [${p.configKeys.join(", ")}]`
        : fromConfig
          ? ` [a default: not set in Pulumi.${stack}.yaml]`
          : "";
    const users = p.usedBy.length > 0 ? ` (used by ${p.usedBy.map((u) => `${u.type} ${u.name}`).join("; ")})` : "";
    return `  - ${p.subject}${keys}${users}: ${p.message}`;
  });
  return [
    `Air-gap manifest for stack "${stack}": ${count}; the stack cannot run on a sealed site as configured:`,
    ...lines,
    `Fix them (in Pulumi.${stack}.yaml where a key is named) and run again.`,
  ].join("\n");
}
