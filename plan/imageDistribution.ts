import type { UpstreamSource } from "./types";

/**
 * Which Debian release a CloudNativePG operand image runs on, read from its tag. The release fixes the glibc
 * version, and glibc's locale data decides the sort order of every libc-collated text index: a Cluster moved to an
 * image of another release keeps its data files but may find its indexes sorted by other rules. Pure data.
 */

export const DEBIAN_RELEASES = ["bullseye", "bookworm", "trixie"] as const;
export type DebianRelease = (typeof DEBIAN_RELEASES)[number];

/**
 * Tags name their release as the last part (`18.1-standard-trixie`, `18.1-202511170807-minimal-trixie`); the
 * deprecated rolling tags `MM` and `MM.mm` are the `system` image on bullseye.
 */
export const CNPG_IMAGE_TAG_SOURCE: UpstreamSource = {
  repository: "cloudnative-pg/postgres-containers",
  ref: "a949ae58",
  file: "README.md",
  symbol: '"Image Tags", "Deprecated Rolling Tags" (MM.mm: system image on Debian bullseye)',
  note: "the same README: a different Debian base is a manual switch because of PostgreSQL's locale-data implications (wiki.postgresql.org/wiki/Locale_data_changes)",
};

/** The tag of an image reference, without registry, repository or digest; undefined when it has none. */
function tagOf(image: string): string | undefined {
  const name = image.split("@")[0];
  const last = name.slice(name.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  return colon < 0 ? undefined : last.slice(colon + 1);
}

/** The Debian release of a CloudNativePG operand image; undefined when the tag does not say (no tag, a digest only). */
export function cnpgImageRelease(image: unknown): DebianRelease | undefined {
  if (typeof image !== "string") return undefined;
  const tag = tagOf(image);
  if (tag === undefined) return undefined;
  const suffix = DEBIAN_RELEASES.find((release) => tag.endsWith(`-${release}`));
  if (suffix) return suffix;
  return /^\d+(\.\d+)?$/.test(tag) ? "bullseye" : undefined;
}
