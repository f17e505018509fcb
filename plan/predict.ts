import { UPDATE_HAZARDS } from "./hazards";
import { cnpgImageRelease } from "./imageDistribution";
import { isLayoutScript, layoutScriptHazards } from "./layoutScript";
import { replacementRule } from "./model";
import type { UpdateHazard, UpstreamSource } from "./types";

/**
 * Predicts what `pulumi up` does with a changed resource, from the two desired states and the replacement
 * model. Pure. Without state it cannot see computed inputs or a provider's own diff customisation; where the
 * model says a decision depends on them, the prediction says so instead of guessing.
 */

export type Verdict = "update" | "replace" | "hazard" | "unknown";

/** One changed value (an input path, or a resource option). */
export interface Change {
  path: string;
  before: unknown;
  after: unknown;
  /** Covered by the resource's ignoreChanges: the engine does not act on it for an existing resource. */
  ignored?: boolean;
}

export interface ChangedResource {
  type: string;
  /** A provider resource (false for component resources, which nothing in the platform backs). */
  custom: boolean;
  inputs: readonly Change[];
  options: readonly Change[];
  /** The desired inputs after the change (hazard conditions read them). */
  after: Record<string, unknown>;
  /** The resource's replaceOnChanges option after the change. */
  replaceOnChanges: readonly string[];
}

export interface ForcedReplacement {
  /** The changed input path. */
  path: string;
  /** Why it forces a new resource. */
  reason: string;
}

export interface HazardFinding {
  id: string;
  reason: string;
  procedure: string;
  source: UpstreamSource;
}

export interface Prediction {
  verdict: Verdict;
  /** Inputs that force the replacement (verdict replace). */
  forcedBy: ForcedReplacement[];
  /** Updates that fail or damage data on a real platform. */
  hazards: HazardFinding[];
  /** What the plan cannot decide (state-dependent replacement, an unmodelled type or provider change). */
  caveats: string[];
  /** Verdict replace: what the replacement does on the platform (what survives it), from the model. */
  onReplace?: string;
  /** The model entry's source, when the type is modelled. */
  source?: UpstreamSource;
}

/** `ports[0].ip` → `ports.ip`: the model's paths carry no indices. */
export function normalisePath(path: string): string {
  return path
    .replace(/\[\d+\]/g, "")
    .replace(/\."([^"]*)"/g, ".$1")
    .replace(/^"([^"]*)"/, "$1");
}

/** A change at, under or above a model path touches it (adding a whole block sets its nested fields too). */
export function touches(changePath: string, modelPath: string): boolean {
  if (modelPath === "") return true;
  const change = normalisePath(changePath);
  return (
    change === modelPath ||
    change.startsWith(`${modelPath}.`) ||
    modelPath.startsWith(`${change}.`) ||
    change === "(value)"
  );
}

/** The major version in a version string or image reference (`18.1`, `postgres:18.1@sha256:…`). */
export function majorVersion(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const tag = value.includes(":")
    ? value
        .replace(/@sha256:[0-9a-f]+$/, "")
        .split(":")
        .pop()
    : value;
  const match = /^v?(\d+)(\.|$|-)/.exec(tag ?? "");
  return match ? Number(match[1]) : undefined;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(".").map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function valueAt(inputs: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => {
    return v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  }, inputs);
}

function hazardApplies(hazard: UpdateHazard, resource: ChangedResource, changes: readonly Change[]): boolean {
  const { match } = hazard;
  if (match.type !== resource.type) return false;
  if (match.onlyIf && valueAt(resource.after, match.onlyIf.input) !== match.onlyIf.equals) return false;
  const hits = match.paths.length === 0 ? changes : changes.filter((c) => match.paths.some((p) => touches(c.path, p)));
  if (hits.length === 0) return false;
  if (match.when === "majorVersionChange") {
    return hits.some((c) => {
      const before = majorVersion(c.before);
      const after = majorVersion(c.after);
      return before !== undefined && after !== undefined && before !== after;
    });
  }
  if (match.when === "debianReleaseChange") {
    return hits.some((c) => {
      const before = cnpgImageRelease(c.before);
      const after = cnpgImageRelease(c.after);
      return before !== undefined && after !== undefined && before !== after;
    });
  }
  return true;
}

export function predictChange(resource: ChangedResource): Prediction {
  const changes = resource.inputs.filter((c) => !c.ignored);
  const prediction: Prediction = { verdict: "update", forcedBy: [], hazards: [], caveats: [] };
  if (!resource.custom) {
    if (changes.length > 0) prediction.caveats.push("component resource: no provider acts on its inputs");
    return prediction;
  }
  const providerChange = resource.options.find((o) => o.path === "provider");
  if (providerChange) {
    prediction.caveats.push(
      `moves to another provider (${String(providerChange.before)} → ${String(providerChange.after)}): Pulumi replaces it unless both providers are configured alike`,
    );
  }
  if (changes.length === 0) {
    if (providerChange) prediction.verdict = "unknown";
    return prediction;
  }
  for (const c of changes) {
    const roc = resource.replaceOnChanges.find((p) => touches(c.path, p) || p === "*");
    if (roc !== undefined) prediction.forcedBy.push({ path: c.path, reason: `replaceOnChanges \`${roc}\`` });
  }
  const rule = replacementRule(resource.type);
  if (!rule) {
    prediction.verdict = prediction.forcedBy.length > 0 ? "replace" : "unknown";
    prediction.caveats.push(`${resource.type} is not in the replacement model: update or replace is unknown`);
    return prediction;
  }
  prediction.source = rule.source;
  for (const c of changes) {
    const forced = rule.forceNew.find((p) => touches(c.path, p));
    if (forced !== undefined) {
      prediction.forcedBy.push({ path: c.path, reason: `\`${forced}\` forces a new ${resource.type}` });
      continue;
    }
    const conditional = rule.forceNewWhen?.find((w) => touches(c.path, w.path));
    if (
      conditional?.when === "downgrade" &&
      typeof c.before === "string" &&
      typeof c.after === "string" &&
      compareVersions(c.after, c.before) < 0
    ) {
      prediction.forcedBy.push({
        path: c.path,
        reason: `a downgrade of \`${conditional.path}\` forces a new ${resource.type}`,
      });
    }
  }
  for (const dependent of rule.stateDependent ?? []) {
    if (changes.some((c) => touches(c.path, dependent.path))) prediction.caveats.push(dependent.reason);
  }
  prediction.hazards = UPDATE_HAZARDS.filter((h) => hazardApplies(h, resource, changes)).map((h) => ({
    id: h.id,
    reason: h.reason,
    procedure: h.procedure,
    source: h.source,
  }));
  for (const c of changes) {
    if (isLayoutScript(c.before) && isLayoutScript(c.after))
      prediction.hazards.push(...layoutScriptHazards(c.before, c.after));
  }
  if (prediction.forcedBy.length > 0) {
    prediction.verdict = "replace";
    if (rule.onReplace !== undefined) prediction.onReplace = rule.onReplace;
  } else if (prediction.hazards.length > 0) prediction.verdict = "hazard";
  else if (providerChange) prediction.verdict = "unknown";
  return prediction;
}
