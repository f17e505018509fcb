import type { AuditResource } from "./model";
import { K8S_WORKLOAD_TYPES, T } from "./resourceTypes";
import { asRecord, asString, decodeJson, isKnown, isPlanUnknown, isUnknownValue } from "./values";

/**
 * Finding the container images a resource names, wherever each platform puts them. Pure.
 * Images a chart uses by default (not set in its values) are invisible here: docs/review.md says so.
 */

export const DIGEST_SUFFIX = /@sha256:[a-f0-9]{64}$/;
/** A local image id (what `docker.Container.image` holds when it comes from a RemoteImage). */
export const IMAGE_ID = /^sha256:[a-f0-9]{64}$/;

export interface ImageUse {
  /** Where in the resource's inputs, e.g. `spec.imageName`. */
  path: string;
  ref: string;
}

function isRemoteImageUrn(urn: string): boolean {
  return urn.includes(`$${T.dockerRemoteImage}::`) || urn.includes(`::${T.dockerRemoteImage}::`);
}

export function isPinned(ref: string): boolean {
  return DIGEST_SUFFIX.test(ref) || IMAGE_ID.test(ref);
}

/** A Helm-style image object ({registry, repository, tag, digest}) as one reference. */
function composeImage(image: Record<string, unknown>): string | undefined {
  const repository = asString(image["repository"]);
  if (!repository) return undefined;
  const registry = asString(image["registry"]);
  const tag = asString(image["tag"]);
  const digest = asString(image["digest"]);
  return `${registry ? `${registry}/` : ""}${repository}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
}

/** Every `image`/`imageName` in a Helm values tree: strings, or objects with a repository. */
function imagesInValues(value: unknown, path: string, found: ImageUse[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => imagesInValues(v, `${path}[${i}]`, found));
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path ? `${path}.${key}` : key;
    if ((key === "image" || key === "imageName") && typeof child === "string" && isKnown(child) && child !== "") {
      found.push({ path: childPath, ref: child });
    } else if (key === "image" && child !== null && typeof child === "object" && !Array.isArray(child)) {
      const ref = composeImage(child as Record<string, unknown>);
      if (ref) found.push({ path: childPath, ref });
      else imagesInValues(child, childPath, found);
    } else {
      imagesInValues(child, childPath, found);
    }
  }
}

function podSpecImages(podSpec: Record<string, unknown>, path: string, found: ImageUse[]): void {
  for (const key of ["initContainers", "containers", "ephemeralContainers"]) {
    const containers = podSpec[key];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      const ref = asString(asRecord(c)["image"]);
      if (ref) found.push({ path: `${path}.${key}[${i}].image`, ref });
    });
  }
}

export function imagesOf(resource: AuditResource): ImageUse[] {
  const found: ImageUse[] = [];
  const props = resource.props;
  switch (resource.type) {
    case T.dockerRemoteImage: {
      const ref = asString(props["name"]);
      if (ref) found.push({ path: "name", ref });
      break;
    }
    case T.dockerContainer: {
      // Unknown until apply when it is a RemoteImage's id: that RemoteImage's name is the image, judged there.
      if (isUnknownValue(props["image"]) && resource.dependencies.some(isRemoteImageUrn)) break;
      // Otherwise the offline plan's unknown is reported by the rules (never passed); the engine's is not judged.
      const ref = isPlanUnknown(props["image"]) ? String(props["image"]) : asString(props["image"]);
      if (ref) found.push({ path: "image", ref });
      break;
    }
    case T.cnpgCluster: {
      const ref = asString(asRecord(props["spec"])["imageName"]);
      if (ref) found.push({ path: "spec.imageName", ref });
      break;
    }
    case T.helmRelease:
      imagesInValues(decodeJson(props["values"]), "values", found);
      break;
    default:
      if (K8S_WORKLOAD_TYPES.includes(resource.type)) {
        const spec = asRecord(props["spec"]);
        if (resource.type === "kubernetes:core/v1:Pod") podSpecImages(spec, "spec", found);
        else if (resource.type === "kubernetes:batch/v1:CronJob") {
          const pod = asRecord(asRecord(asRecord(asRecord(spec["jobTemplate"])["spec"])["template"])["spec"]);
          podSpecImages(pod, "spec.jobTemplate.spec.template.spec", found);
        } else podSpecImages(asRecord(asRecord(spec["template"])["spec"]), "spec.template.spec", found);
      }
  }
  return found;
}
