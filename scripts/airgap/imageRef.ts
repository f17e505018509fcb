/**
 * Container image references as they appear in a plan. Pure: no Pulumi, no I/O.
 * `[registry[:port]/]repository[:tag][@sha256:<64 hex>]`, lowercase, as Docker and Kubernetes accept them.
 */

export interface ImageRef {
  /** The reference exactly as the plan carries it. */
  reference: string;
  /** Everything before the tag and digest: `registry.local:5000/stellaops/postgres`. */
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` when pinned. */
  digest?: string;
}

const REFERENCE = /^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9_])?(@[a-z0-9]+:[a-f0-9]+)?$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A local image ID (what `RemoteImage.imageId` resolves to), not something a registry can serve. */
export function isLocalImageId(value: string): boolean {
  return SHA256_DIGEST.test(value);
}

/** Parses a reference; undefined when the string cannot be an image reference at all. */
export function parseImageRef(reference: string): ImageRef | undefined {
  if (!REFERENCE.test(reference) || isLocalImageId(reference)) return undefined;
  const at = reference.indexOf("@");
  const nameAndTag = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  // A colon after the last slash separates the tag; one before it is a registry port.
  const colon = nameAndTag.lastIndexOf(":");
  const hasTag = colon > nameAndTag.lastIndexOf("/");
  const repository = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined;
  if (repository === "" || tag === "") return undefined;
  return { reference, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** Pinned means a sha256 content digest: a tag can move, a digest cannot. */
export function isPinned(ref: ImageRef): boolean {
  return ref.digest !== undefined && SHA256_DIGEST.test(ref.digest);
}

/**
 * Helm values often spell an image as an object (`{registry, repository, tag, digest}`); this joins it into
 * one reference. Undefined when there is no repository string.
 */
export function referenceFromImageObject(value: Readonly<Record<string, unknown>>): string | undefined {
  const str = (k: string) => (typeof value[k] === "string" && value[k] !== "" ? (value[k] as string) : undefined);
  const repository = str("repository");
  if (repository === undefined) return undefined;
  const registry = str("registry");
  const tag = str("tag");
  const rawDigest = str("digest") ?? str("sha");
  const digest =
    rawDigest === undefined ? undefined : rawDigest.startsWith("sha256:") ? rawDigest : `sha256:${rawDigest}`;
  let reference =
    registry !== undefined && !repository.startsWith(`${registry}/`) ? `${registry}/${repository}` : repository;
  if (tag !== undefined) reference += `:${tag}`;
  // Some charts accept `tag: "1.2@sha256:…"`; never append a second digest.
  if (digest !== undefined && !reference.includes("@")) reference += `@${digest}`;
  return reference;
}

/** A file name for the image's archive in the kit: readable, unique per repository and digest. */
export function archiveFileName(ref: ImageRef): string {
  const base = ref.repository.replace(/[^a-z0-9._-]/g, "_");
  const suffix = ref.digest ? ref.digest.replace(/^sha256:/, "").slice(0, 12) : (ref.tag ?? "latest");
  return `images/${base}-${suffix}.tar`;
}
