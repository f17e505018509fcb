import { readStackConfig } from "../../plan/stackFiles";
import { profileOf, sealedMirror } from "../harness/stackOverrides";

/** Config overrides for day-two edits: several nested settings at once, keeping the rest of each top-level key. */

const NS = "stellaops-infra";
export type Overrides = Record<string, unknown>;

/** Sets each dotted path (`docker.postgres.image`) on top of the stack file's value of its top-level key. */
export function settings(stack: string, entries: readonly (readonly [string, unknown])[]): Overrides {
  const { config } = readStackConfig(stack);
  const roots = new Map<string, Record<string, unknown>>();
  for (const [path, value] of entries) {
    const [top, ...rest] = path.split(".");
    if (rest.length === 0) {
      roots.set(top, value as Record<string, unknown>);
      continue;
    }
    const root =
      roots.get(top) ?? (config[`${NS}:${top}`] ? (JSON.parse(config[`${NS}:${top}`]) as Record<string, unknown>) : {});
    roots.set(top, root);
    let cursor = root;
    for (const part of rest.slice(0, -1)) {
      cursor[part] = { ...((cursor[part] as Record<string, unknown> | undefined) ?? {}) };
      cursor = cursor[part] as Record<string, unknown>;
    }
    cursor[rest[rest.length - 1]] = value;
  }
  return Object.fromEntries([...roots].map(([top, value]) => [`${NS}:${top}`, value]));
}

/**
 * An image reference for a version bump: from the mirror and pinned by a (made-up) digest on a sealed stack,
 * as the air-gap rules require; the public name elsewhere.
 */
export function imageFor(stack: string, publicName: string, mirrorName: string, tag: string): string {
  const mirror = sealedMirror(stack);
  return mirror ? `${mirror}/${mirrorName}:${tag}@sha256:${"0".repeat(63)}1` : `${publicName}:${tag}`;
}

export { profileOf };
