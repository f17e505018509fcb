/** Small text helpers shared by the Markdown renderers. Pure. */

/** A value as short inline text: strings as they are, everything else as JSON, cut at `max` characters. */
export function inline(value: unknown, max = 120): string {
  const text = value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Safe inside a Markdown table cell and inline code: no pipes, no newlines, no backticks. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ⏎ ").replace(/`/g, "'");
}

/** `code` in a table cell. */
export function code(text: string): string {
  return text === "" ? "" : `\`${cell(text)}\``;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
