import { areaOf, indexByUrn, type Area } from "../graph";
import type { PlanDocument, PlanResource } from "../offlinePlan";
import { cell, code, inline, plural, table } from "./text";
import { AREA_TITLES, topologyOf } from "./topology";

/**
 * `--format markdown`: a readable summary of what a stack creates, for a reviewer or a runbook: the servers and
 * who uses them, every resource by area with the settings that matter, and what is protected. Secrets stay
 * "[secret]" (the plan never holds them). Pure.
 */

const AREA_ORDER: readonly Area[] = ["platform", "postgres", "valkey", "objectStore", "nats", "outputs"];
const SECTION_TITLES: Readonly<Record<Area, string>> = {
  platform: "Platform",
  ...AREA_TITLES,
  outputs: "Outputs materialised for the services",
};

/** Inputs worth a glance in a summary, when present. */
const KEY_INPUTS = [
  "name",
  "identifier",
  "replicationGroupId",
  "bucket",
  "engine",
  "engineVersion",
  "instanceClass",
  "nodeType",
  "numCacheClusters",
  "multiAz",
  "family",
  "chart",
  "version",
  "namespace",
  "host",
  "bindAddress",
  "storageEncrypted",
  "atRestEncryptionEnabled",
  "transitEncryptionEnabled",
  "publiclyAccessible",
  "deletionProtection",
  "objectLockEnabled",
  "keepLocally",
];

function keySettings(r: PlanResource): string {
  const parts: string[] = [];
  for (const key of KEY_INPUTS) {
    const value = r.inputs[key];
    if (value === undefined || (typeof value === "object" && value !== null)) continue;
    parts.push(`${key}=${inline(value, 60)}`);
  }
  const ports = r.inputs["ports"];
  if (Array.isArray(ports)) {
    for (const p of ports as Record<string, unknown>[]) {
      parts.push(`port ${String(p["ip"] ?? "0.0.0.0")}:${String(p["external"] ?? "?")}→${String(p["internal"])}`);
    }
  }
  const metadata = r.inputs["metadata"] as Record<string, unknown> | undefined;
  if (metadata && typeof metadata["name"] === "string") parts.push(`metadata.name=${metadata["name"]}`);
  return parts.map(code).join(" ");
}

function options(r: PlanResource): string {
  const flags = [r.options.protect ? "protect" : "", r.options.retainOnDelete ? "retainOnDelete" : ""];
  if (r.options.ignoreChanges.length > 0) flags.push(`ignoreChanges: ${r.options.ignoreChanges.join(", ")}`);
  return flags.filter(Boolean).join(", ");
}

export function renderMarkdown(plan: PlanDocument): string {
  const byUrn = indexByUrn(plan);
  const topology = topologyOf(plan);
  const custom = plan.resources.filter((r) => r.custom);
  const out: string[] = [];
  out.push(`## Offline plan: ${plan.project} / ${plan.stack}`, "");
  out.push(
    `Profile **${topology.profile}** on ${topology.platform}: ${plural(custom.length, "resource")}, ` +
      `${plural(plan.resources.length - custom.length, "component")}. ` +
      "Generated from the stack config without the Pulumi engine; secrets show as `[secret]`.",
    "",
  );

  out.push("### Servers", "");
  if (topology.servers.length === 0) out.push("This stack runs no servers yet.", "");
  else {
    out.push(
      ...table(
        ["Server", "Runs as", "Endpoint"],
        topology.servers.map((s) => [s.title, cell(s.runsAs.join("; ")), s.endpoint ? code(s.endpoint) : ""]),
      ),
      "",
    );
  }

  if (topology.consumers.length > 0) {
    out.push("### StellaOps services and what they use", "");
    const areas = topology.servers.map((s) => s.area);
    out.push(
      ...table(
        ["Service", ...topology.servers.map((s) => s.title)],
        topology.consumers.map((c) => [
          c.displayName,
          ...areas.map((area) => {
            const use = c.uses.find((u) => u.area === area);
            return use ? cell(use.detail || "yes") : "";
          }),
        ]),
      ),
      "",
    );
  }

  out.push("### Resources", "");
  for (const area of AREA_ORDER) {
    const resources = custom.filter((r) => areaOf(r, byUrn) === area);
    if (resources.length === 0) continue;
    out.push(`#### ${SECTION_TITLES[area]} (${resources.length})`, "");
    out.push(
      ...table(
        ["Resource", "Type", "Options", "Key settings"],
        resources.map((r) => [code(r.name), code(r.type), options(r), keySettings(r)]),
      ),
      "",
    );
  }

  const protectedOnes = custom.filter((r) => r.options.protect);
  out.push("### Protected resources", "");
  out.push(
    protectedOnes.length === 0
      ? "None: `pulumi destroy` would delete everything (`stellaops-infra:protect` is off or nothing holds data yet)."
      : protectedOnes.map((r) => `- ${code(r.type)} ${code(r.name)}`).join("\n"),
    "",
  );

  out.push(
    "<details><summary>Stack outputs</summary>",
    "",
    "```json",
    JSON.stringify(plan.outputs, null, 2),
    "```",
    "",
    "</details>",
    "",
  );
  return `${out.join("\n")}`;
}
