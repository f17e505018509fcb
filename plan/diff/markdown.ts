import type { Prediction } from "../predict";
import type { RemovalFate } from "../dataSafety";
import type { PlanResource } from "../offlinePlan";
import {
  hasChanges,
  statefulDeletions,
  statefulReplacements,
  type PlanDiff,
  type ResourceFate,
  type ValueChange,
} from "./diffPlans";
import { cell, code, inline, plural, table } from "../formats/text";

/**
 * The plan diff as Markdown for a pull-request comment (or a job summary). Pure. The first line is a marker the
 * workflow uses to find and update its own comment for the stack. Secrets are "[secret]" on both sides, so a
 * changed secret value does not show.
 */

/** GitHub refuses comments over 65,536 characters; stay below with room for the marker and the note. */
export const MAX_COMMENT_CHARS = 60_000;

export function commentMarker(stack: string): string {
  return `<!-- stellaops-plan-diff:${stack} -->`;
}

export interface DiffHeading {
  /** What the diff compares from, e.g. "main (3f2c1ab)". */
  base: string;
  /** What it compares to, e.g. "this pull request". */
  head: string;
  /** Why there is no base plan (the stack is new, or its base config did not plan). */
  baseNote?: string;
}

function changeRows(changes: readonly ValueChange[]): string[][] {
  return changes.map((c) => [
    `${code(c.path)}${c.ignored ? " (ignoreChanges: not applied to the existing resource)" : ""}`,
    code(inline(c.before)),
    code(inline(c.after)),
  ]);
}

const FATE_TEXT: Record<RemovalFate, string> = {
  protected: "protected: the engine refuses to delete it",
  retained: "retainOnDelete: left in place, data kept",
  "with-server": "deleted only with its server (deletedWith)",
  deleted: "deleted with its data",
};

function resourceRows(
  resources: readonly PlanResource[],
  fates: readonly ResourceFate[],
  protectColumn: boolean,
): string[][] {
  return resources.map((r, i) => {
    const fate = fates[i];
    const stateful = fate?.stateful === true;
    return protectColumn
      ? [
          code(r.name),
          code(r.type),
          [r.options.protect ? "🔒 protect" : "", stateful ? "⚠️ holds data" : ""].filter(Boolean).join(", "),
          stateful && fate ? FATE_TEXT[fate.fate] : "",
        ]
      : [
          code(r.name),
          code(r.type),
          [
            r.options.protect ? "protect" : "",
            r.options.retainOnDelete ? "retainOnDelete" : "",
            stateful && fate ? `holds data; a later removal: ${FATE_TEXT[fate.fate]}` : "",
          ]
            .filter(Boolean)
            .join(", "),
        ];
  });
}

/** One line saying what the engine is predicted to do with a changed resource. */
export function predictionLine(p: Prediction): string {
  const parts: string[] = [];
  if (p.verdict === "replace") {
    parts.push(`**replace**: ${p.forcedBy.map((f) => `${code(f.path)} (${f.reason})`).join("; ")}`);
    if (p.onReplace !== undefined) parts.push(p.onReplace);
  } else if (p.verdict === "hazard")
    parts.push("**hazard**: the update is attempted in place and fails or damages data");
  else if (p.verdict === "unknown")
    parts.push("**unknown**: the offline plan cannot say whether this updates or replaces");
  else parts.push("update in place");
  for (const h of p.hazards) parts.push(`⚠️ ${h.reason} (procedure: ${h.procedure})`);
  for (const c of p.caveats) parts.push(`note: ${c}`);
  return `Prediction: ${parts.join(". ")}.`;
}

/** The loud block at the top: what loses data or cannot be done by a plain `pulumi up`. */
function dataAtRisk(diff: PlanDiff): string[] {
  const lines = [
    ...statefulReplacements(diff).map(
      (c) =>
        `replaces ${code(c.type)} ${code(c.name)}, which holds data: ${c.prediction.forcedBy.map((f) => f.reason.replace(/^`[^`]*` /, `${code(f.path)} `)).join("; ")}`,
    ),
    ...diff.knockOn
      .filter((k) => k.stateful && k.verdict !== "update")
      .map(
        (k) =>
          `${k.verdict === "replace" ? "replaces" : "may replace"} ${code(k.type)} ${code(k.name)}, which holds data: ${k.inputs.map(code).join(", ")} read${k.inputs.length === 1 ? "s" : ""} replaced ${k.from.map(code).join(", ")}`,
      ),
    ...statefulDeletions(diff).map(
      (r) => `deletes ${code(r.type)} ${code(r.name)} and its data (${FATE_TEXT[r.fate]})`,
    ),
    ...diff.changed.flatMap((c) =>
      c.prediction.hazards.map(
        (h) => `hazard on ${code(c.type)} ${code(c.name)}: ${h.reason}. Procedure: ${h.procedure}`,
      ),
    ),
  ];
  if (lines.length === 0) return [];
  return [
    "",
    "> [!CAUTION]",
    "> **Data at risk or no plain `pulumi up`** (predicted from the replacement model, see docs/review.md):",
    ...lines.map((line) => `> - ${line}`),
  ];
}

export function renderDiffMarkdown(diff: PlanDiff, heading: DiffHeading, maxChars = MAX_COMMENT_CHARS): string {
  const head: string[] = [commentMarker(diff.stack), `### Offline plan diff: \`${diff.stack}\``, ""];
  head.push(`${heading.base} → ${heading.head}.`);
  if (heading.baseNote) head.push("", `> ${heading.baseNote}`);
  head.push("");
  if (!hasChanges(diff)) {
    head.push(`No change to the desired state of \`${diff.stack}\` (${plural(diff.unchanged, "resource")} compared).`);
    return `${head.join("\n")}\n${footer()}`;
  }
  head.push(
    `**+${diff.added.length} added, −${diff.removed.length} removed, ~${diff.changed.length} changed**, ${diff.unchanged} unchanged` +
      (diff.outputs.length > 0 ? `; ${plural(diff.outputs.length, "output value")} changed.` : "."),
  );
  head.push(...dataAtRisk(diff));
  const unknown = diff.changed.filter((c) => c.prediction.verdict === "unknown");
  if (unknown.length > 0) {
    head.push(
      "",
      "> [!NOTE]",
      `> Update or replace unknown for ${plural(unknown.length, "changed resource")} (not in the replacement model, or a provider change): ${unknown.map((c) => code(c.name)).join(", ")}. Check them in \`pulumi preview\`.`,
    );
  }
  if (diff.knockOn.length > 0) {
    head.push(
      "",
      "> [!NOTE]",
      `> These read outputs of replaced resources (new ids and digests, unknown until apply), so they may change beyond what the desired-state diff shows: ${diff.knockOn.map((k) => `${code(k.name)} (${k.verdict}: ${k.inputs.map(code).join(", ")} ← ${k.from.map(code).join(", ")})`).join("; ")}.`,
    );
  }
  const risky = [
    ...diff.removals.filter((r) => r.stateful).map((r) => `removes ${code(r.type)} ${code(r.name)}`),
    ...diff.changed
      .filter((c) => c.stateful && c.inputs.some((i) => !i.ignored))
      .map((c) => `changes inputs of ${code(c.type)} ${code(c.name)}`),
    ...diff.changed
      .filter((c) => c.stateful && c.options.some((o) => o.path === "protect" && o.after === false))
      .map((c) => `turns off protect on ${code(c.type)} ${code(c.name)}`),
  ];
  if (risky.length > 0) {
    head.push(
      "",
      `> [!WARNING]`,
      `> Data-bearing resources are affected; check in \`pulumi preview\` that none is replaced or deleted:`,
      ...risky.map((line) => `> - ${line}`),
    );
  }
  head.push("");

  const sections: string[][] = [];
  if (diff.added.length > 0) {
    sections.push([
      `#### Added (${diff.added.length})`,
      "",
      ...table(["Resource", "Type", "Options"], resourceRows(diff.added, diff.additions, false)),
      "",
    ]);
  }
  if (diff.removed.length > 0) {
    sections.push([
      `#### Removed (${diff.removed.length})`,
      "",
      ...table(["Resource", "Type", "", "Data"], resourceRows(diff.removed, diff.removals, true)),
      "",
    ]);
  }
  if (diff.changed.length > 0) {
    const lines = [`#### Changed (${diff.changed.length})`, ""];
    for (const c of diff.changed) {
      lines.push(`**${code(c.name)}** ${code(c.type)}${c.stateful ? " ⚠️ holds data" : ""}`, "");
      lines.push(predictionLine(c.prediction), "");
      lines.push(
        ...table(
          ["", "Before", "After"],
          [...changeRows(c.inputs), ...changeRows(c.options.map((o) => ({ ...o, path: `(option) ${o.path}` })))],
        ),
        "",
      );
    }
    sections.push(lines);
  }
  if (diff.outputs.length > 0) {
    sections.push(["#### Stack outputs", "", ...table(["Output", "Before", "After"], changeRows(diff.outputs)), ""]);
  }

  const end = footer();
  let body = `${head.join("\n")}\n`;
  for (const section of sections) {
    const text = `${section.join("\n")}\n`;
    if (body.length + text.length + end.length > maxChars) {
      body += `\n_The rest of the diff is cut to fit a comment: run \`npm run plan:diff -- --stack ${cell(diff.stack)} --base <ref>\` locally for all of it._\n\n`;
      break;
    }
    body += text;
  }
  return `${body}${end}`;
}

function footer(): string {
  return "<sub>Offline plan (no state, no credentials): desired state only; update or replace is predicted from the provider sources recorded in plan/, and `pulumi preview` has the last word. See docs/review.md.</sub>\n";
}
