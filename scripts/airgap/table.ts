import type { AirgapManifest } from "./manifest";

/** The manifest as a readable table (`--format table`). Pure. */

function table(headers: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ["  (none)"];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

const sum = (sha256: string | undefined) => (sha256 === undefined ? "" : sha256.slice(0, 12));

export function renderTable(m: AirgapManifest): string {
  const sealedNote = m.sealed ? `sealed, mirror ${m.mirrorRegistry ?? "?"}` : "not sealed (airgap.sealed is false)";
  const out: string[] = [
    `Air-gap manifest: ${m.project} / stack ${m.stack}${m.profile ? ` (${m.profile} profile)` : ""}, ${sealedNote}, platform ${m.platform}`,
    "",
    `Container images (${m.images.length})`,
    ...table(
      ["reference", "config key", "kit file", "sha256"],
      m.images.map((i) => [i.reference, i.configKeys.join(", ") || "(default)", i.file, sum(i.sha256)]),
    ),
    "",
    `Helm charts (${m.charts.length})`,
    ...table(
      ["chart", "version", "source", "file / digest", "sha256"],
      m.charts.map((c) => [c.name, c.version ?? "", c.source, c.path ?? c.digest ?? c.file ?? "", sum(c.sha256)]),
    ),
    "",
    `Pulumi provider plugins (${m.plugins.length})`,
    ...table(
      ["plugin", "version", "sdk", "used by stack", "kit file", "sha256"],
      m.plugins.map((p) => [
        p.name,
        p.version,
        `${p.sdk}@${p.sdkVersion}`,
        p.usedByStack ? "yes" : "no",
        p.file,
        sum(p.sha256),
      ]),
    ),
    "",
    "Toolchain",
    ...table(
      ["item", "version / file", "kit file", "sha256"],
      [
        [`Pulumi CLI (${m.pulumiCli.pinnedIn})`, m.pulumiCli.version, m.pulumiCli.file, sum(m.pulumiCli.sha256)],
        [
          `npm lockfile (v${m.npm.lockfileVersion}, ${m.npm.packages} packages)`,
          m.npm.lockfile,
          `${m.npm.cache}/`,
          sum(m.npm.sha256),
        ],
      ],
    ),
  ];
  return `${out.join("\n")}\n`;
}
