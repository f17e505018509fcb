import { dataBearingUrns, keepsData, removalFate, type RemovalFate } from "../dataSafety";
import { predictChange, type Prediction } from "../predict";
import { decodeJson } from "../../policy/values";
import type { PlanDocument, PlanResource } from "../offlinePlan";

/**
 * The difference between two offline plans of one stack (base ref → working tree), keyed by URN. Pure.
 * It compares desired states only (no state file, no provider): whether a change updates in place or replaces
 * is predicted from the replacement model in plan/ (docs/review.md says what that can and cannot know).
 */

export interface ValueChange {
  /** Dotted path into the inputs (or options, outputs), e.g. `ports[0].ip`. */
  path: string;
  before: unknown;
  after: unknown;
  /** The resource's `ignoreChanges` covers this input: Pulumi will not act on it for an existing resource. */
  ignored?: boolean;
}

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  inputs: ValueChange[];
  /** Resource options a reviewer cares about (protect, retainOnDelete, ignoreChanges, …), parent, provider. */
  options: ValueChange[];
  /** Holds data (volume, database, cache, bucket): a replacement would lose it. */
  stateful: boolean;
  /** update / replace (and the inputs that force it) / hazard / unknown, from the replacement model. */
  prediction: Prediction;
}

/** An added or removed resource, and what removing it does (or would do) to its data. */
export interface ResourceFate {
  urn: string;
  type: string;
  name: string;
  stateful: boolean;
  /** For a removal: what happens now. For an addition: what a later removal would do. */
  fate: RemovalFate;
  /** The data survives that removal (protected, retained, or deleted only with a server that is kept). */
  keepsData: boolean;
}

export interface PlanDiff {
  stack: string;
  added: PlanResource[];
  removed: PlanResource[];
  changed: ResourceChange[];
  unchanged: number;
  outputs: ValueChange[];
  /** Per removed resource, in `removed` order: whether it holds data and what the removal does to it. */
  removals: ResourceFate[];
  /** Per added resource, in `added` order: whether it holds data and what removing it later would do. */
  additions: ResourceFate[];
  /**
   * Kept resources that read outputs of a replaced one: the offline plan shows those outputs as unknown on both
   * sides, so no change, but a real replacement brings new ids and digests, so these change (often replace) too.
   */
  knockOn: KnockOn[];
}

export interface KnockOn {
  urn: string;
  type: string;
  name: string;
  stateful: boolean;
  /** Names of the replaced resources it reads. */
  from: string[];
  /** The inputs that read them. */
  inputs: string[];
  /** What those new values do to it, by the replacement model. */
  verdict: "update" | "replace" | "unknown";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return path === "" ? safe : `${path}.${safe}`;
}

/** Leaf-level differences between two JSON values (arrays by index, objects by key). */
export function valueChanges(before: unknown, after: unknown, path = ""): ValueChange[] {
  // Provider inputs and policies are JSON text: compare what they say, not their spelling.
  const a = decodeJson(before);
  const b = decodeJson(after);
  if (Array.isArray(a) && Array.isArray(b)) {
    const changes: ValueChange[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) changes.push(...valueChanges(a[i], b[i], join(path, i)));
    return changes;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => valueChanges(a[k], b[k], join(path, k)));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: path || "(value)", before: a, after: b }];
}

function optionView(r: PlanResource): Record<string, unknown> {
  return {
    protect: r.options.protect ?? false,
    retainOnDelete: r.options.retainOnDelete ?? false,
    deleteBeforeReplace: r.options.deleteBeforeReplace ?? false,
    ignoreChanges: [...r.options.ignoreChanges].sort(),
    replaceOnChanges: [...r.options.replaceOnChanges].sort(),
    // Older plans (a base ref from before the field existed) have no deletedWith.
    deletedWith: r.options.deletedWith ?? null,
    parent: r.parent,
    provider: r.provider ? r.provider.slice(0, r.provider.lastIndexOf("::")) : null,
  };
}

/** Whether an input path falls under one of `ignoreChanges`' property paths (`labels` covers `labels[2]`). */
export function coveredBy(path: string, ignoreChanges: readonly string[]): boolean {
  return ignoreChanges.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

export function diffPlans(base: PlanDocument | undefined, head: PlanDocument): PlanDiff {
  const before = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
  const after = new Map(head.resources.map((r) => [r.urn, r]));
  const added = head.resources.filter((r) => !before.has(r.urn));
  const removed = (base?.resources ?? []).filter((r) => !after.has(r.urn));
  const changed: ResourceChange[] = [];
  const baseData = dataBearingUrns(base?.resources ?? []);
  const headData = dataBearingUrns(head.resources);
  let unchanged = 0;
  for (const r of head.resources) {
    const old = before.get(r.urn);
    if (!old) continue;
    const inputs = valueChanges(old.inputs, r.inputs).map((c) =>
      coveredBy(c.path, r.options.ignoreChanges) ? { ...c, ignored: true } : c,
    );
    const options = valueChanges(optionView(old), optionView(r));
    if (inputs.length === 0 && options.length === 0) {
      unchanged++;
      continue;
    }
    changed.push({
      urn: r.urn,
      type: r.type,
      name: r.name,
      inputs,
      options,
      stateful: baseData.has(r.urn) || headData.has(r.urn),
      prediction: predictChange({
        type: r.type,
        custom: r.custom,
        inputs,
        options,
        after: r.inputs,
        replaceOnChanges: r.options.replaceOnChanges,
      }),
    });
  }
  const replaced = new Map(
    changed.filter((c) => c.prediction.verdict === "replace").map((c) => [c.urn, c.name] as const),
  );
  const knockOn: KnockOn[] = [];
  for (const r of head.resources) {
    if (!r.custom || !before.has(r.urn) || replaced.has(r.urn)) continue;
    const reads = Object.entries(r.propertyDependencies ?? {}).filter(([, urns]) => urns.some((u) => replaced.has(u)));
    if (reads.length === 0) continue;
    const inputs = reads.map(([input]) => input);
    const from = [
      ...new Set(reads.flatMap(([, urns]) => urns.filter((u) => replaced.has(u)).map((u) => replaced.get(u) ?? u))),
    ];
    // The new values are unknown until apply: judge them as changes of those inputs.
    const verdict = predictChange({
      type: r.type,
      custom: true,
      inputs: inputs.map((path) => ({ path, before: "(replaced)", after: "(new value)" })),
      options: [],
      after: r.inputs,
      replaceOnChanges: r.options.replaceOnChanges,
    }).verdict;
    knockOn.push({
      urn: r.urn,
      type: r.type,
      name: r.name,
      stateful: headData.has(r.urn),
      from,
      inputs,
      verdict: verdict === "hazard" ? "update" : verdict,
    });
  }
  const removals = removed.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    stateful: baseData.has(r.urn),
    ...keepsData(r, removed),
  }));
  const additions = added.map((r) => {
    const fate = removalFate(r, new Set());
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      stateful: headData.has(r.urn),
      fate,
      keepsData: fate !== "deleted",
    };
  });
  return {
    stack: head.stack,
    added,
    removed,
    changed,
    unchanged,
    outputs: valueChanges(base?.outputs ?? {}, head.outputs),
    removals,
    additions,
    knockOn,
  };
}

/** Changed resources the prediction says are replaced while holding data. */
export function statefulReplacements(diff: PlanDiff): ResourceChange[] {
  return diff.changed.filter((c) => c.stateful && c.prediction.verdict === "replace");
}

/** Removed resources whose data the removal deletes. */
export function statefulDeletions(diff: PlanDiff): ResourceFate[] {
  return diff.removals.filter((r) => r.stateful && !r.keepsData);
}

export function hasChanges(diff: PlanDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length + diff.outputs.length > 0;
}
