import type { PlanDocument } from "../offlinePlan";
import { topologyOf, type ServerArea } from "./topology";

/**
 * `--format mermaid`: a flowchart of the servers a stack runs and the StellaOps services that use them
 * (GitHub renders it in Markdown inside a ```mermaid block). Pure.
 */

/** Mermaid label text: quotes, pipes and angle brackets as entity codes, lines joined with <br/>. */
export function mermaidLabel(lines: readonly string[]): string {
  const escape = (s: string) =>
    s.replace(/"/g, "#quot;").replace(/\|/g, "#124;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
  return `"${lines.map(escape).join("<br/>")}"`;
}

/** A node id Mermaid accepts whatever the service id holds. */
export function mermaidId(prefix: string, id: string): string {
  return `${prefix}_${id.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** Databases as cylinders, the rest as rounded boxes. */
function serverShape(area: ServerArea, label: string): string {
  return area === "postgres" || area === "valkey" ? `[(${label})]` : `(${label})`;
}

export function renderMermaid(plan: PlanDocument): string {
  const topology = topologyOf(plan);
  const lines = ["flowchart LR"];
  lines.push(`  %% ${plan.project} / ${plan.stack}: servers and the StellaOps services that use them`);
  if (topology.servers.length === 0) {
    lines.push(`  empty[${mermaidLabel([`${plan.stack}: no servers in this plan`])}]`);
    return `${lines.join("\n")}\n`;
  }
  lines.push(`  subgraph platform[${mermaidLabel([topology.platform])}]`);
  for (const server of topology.servers) {
    const label = mermaidLabel([server.title, ...server.runsAs, ...(server.endpoint ? [server.endpoint] : [])]);
    lines.push(`    ${mermaidId("srv", server.area)}${serverShape(server.area, label)}`);
  }
  lines.push("  end");
  if (topology.consumers.length > 0) {
    lines.push(`  subgraph stellaops[${mermaidLabel(["StellaOps services"])}]`);
    for (const consumer of topology.consumers) {
      lines.push(`    ${mermaidId("svc", consumer.id)}[${mermaidLabel([consumer.displayName])}]`);
    }
    lines.push("  end");
    const drawn = new Set(topology.servers.map((s) => s.area));
    for (const consumer of topology.consumers) {
      for (const use of consumer.uses.filter((u) => drawn.has(u.area))) {
        const edge = use.detail ? `-->|${mermaidLabel([use.detail])}|` : "-->";
        lines.push(`  ${mermaidId("svc", consumer.id)} ${edge} ${mermaidId("srv", use.area)}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
