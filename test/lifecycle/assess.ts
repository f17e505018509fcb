import { statefulDeletions, statefulReplacements, type PlanDiff } from "../../plan/diff/diffPlans";
import type { DayTwoEdit } from "./catalogue";

/**
 * Judges one day-two edit of one stack from its plan diff: every broken data-safety promise becomes a
 * violation (kind, resource, why). Pure, so the tier's assertions and its report read the same list.
 */

export type ViolationKind =
  | "replaces-data"
  | "deletes-data"
  | "removes-data"
  | "unexpected-hazard"
  | "missing-hazard"
  | "unmodelled"
  | "not-said"
  | "silent-major"
  | "refused";

export interface Violation {
  kind: ViolationKind;
  /** `type name` of the resource, or the stack for a whole-plan violation. */
  resource: string;
  why: string;
}

export interface StackPromise {
  /** The stack's config protects or retains data-bearing resources (protect or retainOnDelete true). */
  retainsData: boolean;
}

export function assessEdit(edit: DayTwoEdit, diff: PlanDiff, markdown: string, promise: StackPromise): Violation[] {
  const violations: Violation[] = [];
  const caution = markdown.split("> [!CAUTION]")[1]?.split("\n\n")[0] ?? "";
  const said = (name: string) => caution.includes(`\`${name}\``);

  for (const c of statefulReplacements(diff)) {
    const resource = `${c.type} ${c.name}`;
    if (!edit.means.replaces?.test(c.name))
      violations.push({
        kind: "replaces-data",
        resource,
        why: c.prediction.forcedBy.map((f) => f.reason).join("; "),
      });
    if (!said(c.name))
      violations.push({ kind: "not-said", resource, why: "replacement missing from the CAUTION block" });
  }
  for (const k of diff.knockOn.filter((x) => x.stateful && x.verdict !== "update")) {
    const resource = `${k.type} ${k.name}`;
    if (!edit.means.replaces?.test(k.name))
      violations.push({
        kind: "replaces-data",
        resource,
        why: `${k.verdict}: ${k.inputs.join(", ")} read replaced ${k.from.join(", ")}`,
      });
    if (!said(k.name))
      violations.push({ kind: "not-said", resource, why: "knock-on replacement missing from CAUTION" });
  }
  for (const r of diff.removals.filter((x) => x.stateful)) {
    const resource = `${r.type} ${r.name}`;
    if (!edit.means.removes?.test(r.name)) {
      violations.push({ kind: "removes-data", resource, why: `removed (${r.fate}) by an edit that does not mean it` });
      continue;
    }
    if (!r.keepsData && promise.retainsData)
      violations.push({
        kind: "deletes-data",
        resource,
        why: `removal deletes the data (${r.fate}) although the stack protects or retains data`,
      });
  }
  for (const r of statefulDeletions(diff)) {
    if (!said(r.name))
      violations.push({ kind: "not-said", resource: `${r.type} ${r.name}`, why: "deletion missing from CAUTION" });
  }
  const hazards = diff.changed.flatMap((c) => c.prediction.hazards.map((h) => ({ c, h })));
  for (const { c, h } of hazards) {
    if (!edit.means.hazards?.includes(h.id) && !edit.means.majorUpgrade)
      violations.push({ kind: "unexpected-hazard", resource: `${c.type} ${c.name}`, why: `${h.id}: ${h.reason}` });
  }
  for (const id of edit.means.hazards ?? []) {
    if (!hazards.some(({ h }) => h.id === id))
      violations.push({ kind: "missing-hazard", resource: diff.stack, why: `the diff does not report ${id}` });
  }
  if (edit.means.majorUpgrade && hazards.length === 0)
    violations.push({
      kind: "silent-major",
      resource: diff.stack,
      why: "a major version bump neither refused by config nor reported as a hazard",
    });
  for (const c of diff.changed.filter((x) => x.prediction.verdict === "unknown")) {
    violations.push({ kind: "unmodelled", resource: `${c.type} ${c.name}`, why: c.prediction.caveats.join("; ") });
  }
  return violations;
}
