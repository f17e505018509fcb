import { STATEFUL_TYPES } from "../../policy/resourceTypes";
import type { PlanResource } from "../../test/harness/plan";
import { hasChanges, type PlanDiff, type ValueChange } from "./diff";
import { cell, code, inline, plural, table } from "./text";

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

function resourceRows(resources: readonly PlanResource[], protectColumn: boolean): string[][] {
  return resources.map((r) => [
    code(r.name),
    code(r.type),
    ...(protectColumn
      ? [
          [r.options.protect ? "🔒 protect" : "", STATEFUL_TYPES.includes(r.type) ? "⚠️ holds data" : ""]
            .filter(Boolean)
            .join(", "),
        ]
      : [
          [r.options.protect ? "protect" : "", r.options.retainOnDelete ? "retainOnDelete" : ""]
            .filter(Boolean)
            .join(", "),
        ]),
  ]);
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
  const risky = [
    ...diff.removed
      .filter((r) => STATEFUL_TYPES.includes(r.type))
      .map((r) => `removes ${code(r.type)} ${code(r.name)}`),
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
      ...table(["Resource", "Type", "Options"], resourceRows(diff.added, false)),
      "",
    ]);
  }
  if (diff.removed.length > 0) {
    sections.push([
      `#### Removed (${diff.removed.length})`,
      "",
      ...table(["Resource", "Type", ""], resourceRows(diff.removed, true)),
      "",
    ]);
  }
  if (diff.changed.length > 0) {
    const lines = [`#### Changed (${diff.changed.length})`, ""];
    for (const c of diff.changed) {
      lines.push(`**${code(c.name)}** ${code(c.type)}${c.stateful ? " ⚠️ holds data" : ""}`, "");
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
  return "<sub>Offline plan (no state, no credentials): desired state only; whether a change updates or replaces is for `pulumi preview` to say. See docs/review.md.</sub>\n";
}
