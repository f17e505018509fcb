import { STATEFUL_TYPES } from "../policy/resourceTypes";

/**
 * Which resources of a plan hold data, and what removing one does to that data. Pure; reads only the
 * offline plan's resources (type, inputs, options).
 */

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  options: {
    protect: boolean | null;
    retainOnDelete: boolean | null;
    deletedWith?: string | null;
  };
}

const SCHEMA = "postgresql:index/schema:Schema";
const ROLE = "postgresql:index/role:Role";
const NAMESPACE = "kubernetes:core/v1:Namespace";

/** Beyond the policy's data-bearing types: schemas hold the services' tables. */
const DATA_TYPES: readonly string[] = [...STATEFUL_TYPES, SCHEMA];

function namespaceOf(r: PlannedResource): unknown {
  const metadata = r.inputs["metadata"] as Record<string, unknown> | undefined;
  return metadata?.["namespace"] ?? r.inputs["namespace"];
}

/**
 * Data-bearing resources of a plan: volumes, databases, schemas, roles that own schemas (dropping one fails or
 * orphans the schema's tables), clusters, PVCs, RDS instances, ElastiCache groups, buckets, and namespaces that
 * hold any of those (deleting a namespace deletes what is in it).
 */
export function dataBearingUrns(resources: readonly PlannedResource[]): Set<string> {
  const urns = new Set(resources.filter((r) => DATA_TYPES.includes(r.type)).map((r) => r.urn));
  const owners = new Set(resources.filter((r) => r.type === SCHEMA).map((r) => r.inputs["owner"]));
  const dataNamespaces = new Set(resources.filter((r) => urns.has(r.urn)).map(namespaceOf));
  for (const r of resources) {
    if (r.type === ROLE && owners.has(r.inputs["name"])) urns.add(r.urn);
    const metadata = r.inputs["metadata"] as Record<string, unknown> | undefined;
    if (r.type === NAMESPACE && dataNamespaces.has(metadata?.["name"])) urns.add(r.urn);
  }
  return urns;
}

/**
 * What a removal does to the resource's data:
 * - `protected`: the engine refuses to delete it, the `up` stops (remove `protect` first, on purpose);
 * - `retained`: retainOnDelete: it leaves the stack and stays in the platform;
 * - `with-server`: deletedWith a server removed in the same run: deleted only with that server;
 * - `deleted`: the provider deletes it.
 */
export type RemovalFate = "protected" | "retained" | "with-server" | "deleted";

export function removalFate(resource: PlannedResource, removedUrns: ReadonlySet<string>): RemovalFate {
  if (resource.options.protect === true) return "protected";
  if (resource.options.retainOnDelete === true) return "retained";
  const server = resource.options.deletedWith;
  if (server && removedUrns.has(server)) return "with-server";
  return "deleted";
}

/** Whether the fate keeps the data (a server removed alongside keeps it only if that server is kept). */
export function keepsData(
  resource: PlannedResource,
  removed: readonly PlannedResource[],
): { fate: RemovalFate; keepsData: boolean } {
  const removedUrns = new Set(removed.map((r) => r.urn));
  const fate = removalFate(resource, removedUrns);
  if (fate !== "with-server") return { fate, keepsData: fate !== "deleted" };
  const server = removed.find((r) => r.urn === resource.options.deletedWith);
  const serverFate = server ? removalFate(server, removedUrns) : "deleted";
  return { fate, keepsData: serverFate === "protected" || serverFate === "retained" };
}
