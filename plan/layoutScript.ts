import type { HazardFinding } from "./predict";

/**
 * Hazards inside this program's own PostgreSQL layout script (components/postgres/renderSql.ts), which the
 * Kubernetes layout Job runs from a ConfigMap: the same two edits that fail through the provider (a schema
 * changing owner, the database renamed) hide there in changed SQL text. Reads the script's own statement
 * forms: `\connect <db>` and `ALTER SCHEMA <schema> OWNER TO <role>;`.
 */

const SOURCE = {
  repository: "stellaops-infra",
  ref: "this tree",
  file: "components/postgres/renderSql.ts",
  symbol: "renderLayoutSql: \\connect per database, ALTER SCHEMA … OWNER TO per schema",
};

export function isLayoutScript(value: unknown): value is string {
  return typeof value === "string" && /^\\connect /m.test(value) && /^ALTER SCHEMA /m.test(value);
}

/** Schema (`db.schema`) → owner, and the databases, as the script sets them. */
export function readLayoutScript(sql: string): { owners: Map<string, string>; databases: Set<string> } {
  const owners = new Map<string, string>();
  const databases = new Set<string>();
  let database = "";
  for (const line of sql.split("\n")) {
    const connect = /^\\connect (\S+)/.exec(line);
    if (connect) {
      database = connect[1];
      databases.add(database);
      continue;
    }
    const owner = /^ALTER SCHEMA (\S+) OWNER TO (\S+);/.exec(line);
    if (owner) owners.set(`${database}.${owner[1]}`, owner[2]);
  }
  return { owners, databases };
}

export function layoutScriptHazards(before: string, after: string): HazardFinding[] {
  const a = readLayoutScript(before);
  const b = readLayoutScript(after);
  const findings: HazardFinding[] = [];
  const moved = [...b.owners].filter(([schema, owner]) => a.owners.has(schema) && a.owners.get(schema) !== owner);
  if (moved.length > 0) {
    findings.push({
      id: "schema-owner-change",
      reason: `the layout script changes the owner of ${moved.map(([s, o]) => `${s} (${a.owners.get(s)} → ${o})`).join(", ")}: \`ALTER SCHEMA … OWNER TO\` fails on an admin that is not a member of both roles, and leaves the schema's tables owned by the old role`,
      procedure: "docs/operations.md#move-a-schema-to-another-service",
      source: SOURCE,
    });
  }
  const gone = [...a.databases].filter((d) => !b.databases.has(d));
  const added = [...b.databases].filter((d) => !a.databases.has(d));
  if (gone.length > 0 && added.length > 0) {
    findings.push({
      id: "database-rename",
      reason: `the layout script creates ${added.join(", ")} and no longer touches ${gone.join(", ")}: services move to a new, empty database while their data stays in the old one`,
      procedure: "docs/operations.md#rename-the-database",
      source: SOURCE,
    });
  }
  return findings;
}
