import type { PlanDocument, PlanResource } from "../../plan/offlinePlan";
import { isUnknown } from "../../plan/unknown";
import { isLocalImageId, parseImageRef, referenceFromImageObject } from "./imageRef";

/**
 * Every container image reference a plan's resources carry, found generically by walking their inputs, so a
 * new component's images are listed without changing this file. Pure.
 *
 * Recognised: `docker:index/remoteImage:RemoteImage` (input `name`), and anywhere in any inputs (Helm values,
 * CustomResource specs, pod templates) a field named `image`, `imageName` or `…Image` holding either a
 * reference string or a `{registry, repository, tag, digest}` object.
 */

export interface ResourceUse {
  urn: string;
  type: string;
  name: string;
  /** Where in the inputs the reference sits, e.g. `values.image` or `spec.imageName`. */
  path: string;
}

export interface FoundImage {
  reference: string;
  usedBy: ResourceUse[];
}

/** The image an image-typed resource pulls, keyed by type token. */
const IMAGE_INPUT_BY_TYPE: Readonly<Record<string, string>> = {
  "docker:index/remoteImage:RemoteImage": "name",
};

/** Same convention as the config rules: `image`, `imageName`, `…Image`. */
export function isImageField(key: string): boolean {
  return key === "image" || key === "imageName" || /[a-z]Image$/.test(key);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function use(resource: PlanResource, path: string[]): ResourceUse {
  return { urn: resource.urn, type: resource.type, name: resource.name, path: path.join(".") };
}

function walk(value: unknown, path: string[], found: (reference: string, path: string[]) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...path, String(i)], found));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (isImageField(key) && typeof child === "string") {
      found(child, childPath);
      continue;
    }
    if (isImageField(key) && isObject(child)) {
      const joined = referenceFromImageObject(child);
      if (joined !== undefined) {
        found(joined, childPath);
        continue;
      }
    }
    walk(child, childPath, found);
  }
}

/** Images referenced by one resource's inputs (secrets, local image IDs and non-references skipped). */
export function imagesOfResource(resource: PlanResource): { reference: string; path: string[] }[] {
  const refs: { reference: string; path: string[] }[] = [];
  const add = (reference: string, path: string[]) => {
    // Unknown until apply: a RemoteImage's id, whose image the RemoteImage's own name lists (policy checks the rest).
    if (reference === "[secret]" || isUnknown(reference) || isLocalImageId(reference)) return;
    refs.push({ reference, path });
  };
  const typedInput = IMAGE_INPUT_BY_TYPE[resource.type];
  if (typedInput !== undefined && typeof resource.inputs[typedInput] === "string") {
    add(resource.inputs[typedInput] as string, [typedInput]);
  }
  walk(resource.inputs, [], add);
  return refs;
}

/** All images of the plan, one entry per distinct reference, with every resource that uses it. */
export function imagesInPlan(plan: Pick<PlanDocument, "resources">): FoundImage[] {
  const byReference = new Map<string, FoundImage>();
  for (const resource of plan.resources) {
    for (const { reference, path } of imagesOfResource(resource)) {
      const entry = byReference.get(reference) ?? { reference, usedBy: [] };
      if (!entry.usedBy.some((u) => u.urn === resource.urn && u.path === path.join("."))) {
        entry.usedBy.push(use(resource, path));
      }
      byReference.set(reference, entry);
    }
  }
  return [...byReference.values()].sort((a, b) => a.reference.localeCompare(b.reference));
}

/** Whether a string found in an image field is usable as a reference at all (e.g. not "nginx latest"). */
export function isWellFormedReference(reference: string): boolean {
  return parseImageRef(reference) !== undefined;
}
