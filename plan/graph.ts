import type { PlanDocument, PlanResource } from "./offlinePlan";

/**
 * Reading a plan as a graph: which area (postgres, valkey, objectStore, nats) each resource belongs to,
 * judged by its outermost `stellaops:<area>:…` component ancestor. Root-level plumbing (providers, the
 * Docker network, the namespace) is "platform"; the per-service outputs the profiles materialise are "outputs".
 */

export const SERVER_AREAS = ["postgres", "valkey", "objectStore", "nats"] as const;
export type Area = (typeof SERVER_AREAS)[number] | "platform" | "outputs";

export function indexByUrn(plan: PlanDocument): Map<string, PlanResource> {
  return new Map(plan.resources.map((r) => [r.urn, r]));
}

export function areaOf(resource: PlanResource, byUrn: Map<string, PlanResource>): Area {
  let area: Area = "platform";
  for (
    let current: PlanResource | undefined = resource;
    current;
    current = current.parent ? byUrn.get(current.parent) : undefined
  ) {
    const match = /^stellaops:([A-Za-z]+):/.exec(current.type);
    if (match) {
      const name = match[1];
      area = (SERVER_AREAS as readonly string[]).includes(name) ? (name as Area) : "outputs";
    }
  }
  return area;
}

/** A provider reference is `<urn>::<id>`; the URN part is the provider resource. */
export function providerUrn(ref: string | null): string | null {
  return ref ? ref.slice(0, ref.lastIndexOf("::")) : null;
}
