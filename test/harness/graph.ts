import type { PlanResource } from "../../plan/offlinePlan";

/** Short, stable description of one resource for graph snapshots: type, name, parent name. */
export function graphLine(resource: PlanResource, byUrn: Map<string, PlanResource>): string {
  const parent = resource.parent ? (byUrn.get(resource.parent)?.name ?? resource.parent) : "-";
  return `${resource.type}  ${resource.name}  (parent: ${parent})`;
}
