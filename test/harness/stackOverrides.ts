import { readStackConfig } from "../../plan/stackFiles";

/** Config overrides for example stacks in tests: change one setting, keep the rest of the stack file. */

const NS = "stellaops-infra";

export function profileOf(stack: string): string {
  return readStackConfig(stack).config[`${NS}:profile`];
}

/** Overrides that set one nested config path, keeping the rest of that top-level key. */
export function settingOverride(stack: string, path: string, value: unknown): Record<string, unknown> {
  const { config } = readStackConfig(stack);
  const [top, ...rest] = path.split(".");
  const root = config[`${NS}:${top}`] ? (JSON.parse(config[`${NS}:${top}`]) as Record<string, unknown>) : {};
  let cursor = root;
  for (const part of rest.slice(0, -1)) {
    cursor[part] = (cursor[part] as Record<string, unknown> | undefined) ?? {};
    cursor = cursor[part] as Record<string, unknown>;
  }
  cursor[rest[rest.length - 1]] = value;
  return { [`${NS}:${top}`]: root };
}

/**
 * The NATS image a sealed example stack would add to its mirror when it turns NATS on: the upstream
 * nats:2.12.1-alpine index digest. A sealed stack refuses NATS without a mirrored, digest-pinned image.
 */
const SEALED_NATS_IMAGE = "nats:2.12.1-alpine@sha256:b3f2bd84176ae7bd0afa9c48a00f06d7d0818ff4aaee898e4172e0b8340e5816";

/** The mirror registry of a sealed example stack; undefined for a stack that is not sealed. */
export function sealedMirror(stack: string): string | undefined {
  const raw = readStackConfig(stack).config[`${NS}:airgap`];
  const airgap = raw ? (JSON.parse(raw) as { sealed?: boolean; mirrorRegistry?: string }) : {};
  return airgap.sealed === true ? airgap.mirrorRegistry : undefined;
}

/** Config overrides that turn NATS on or off for a stack, keeping everything else as the stack file has it. */
export function natsToggle(stack: string, enabled: boolean): Record<string, unknown> {
  const profile = profileOf(stack);
  const { config } = readStackConfig(stack);
  const platformKey = `${NS}:${profile}`;
  const platform = config[platformKey] ? (JSON.parse(config[platformKey]) as Record<string, unknown>) : undefined;
  const base = config[`${NS}:nats`] ? (JSON.parse(config[`${NS}:nats`]) as Record<string, unknown>) : {};
  if (!enabled) {
    const rest = platform ? { ...platform } : undefined;
    if (rest) delete rest["nats"];
    return { [`${NS}:nats`]: { enabled: false }, ...(rest ? { [platformKey]: rest } : {}) };
  }
  const overrides: Record<string, unknown> = { [`${NS}:nats`]: { ...base, enabled: true } };
  if (profile === "external" && platform && platform["nats"] === undefined) {
    // The external profile needs the existing server's address; the key is already secret in the stack file.
    overrides[platformKey] = {
      ...platform,
      nats: { url: "nats://nats.example.internal:4222", password: "toggle-test-password" },
    };
  }
  const mirror = sealedMirror(stack);
  if (mirror !== undefined && profile !== "external") {
    if (profile !== "docker") throw new Error(`natsToggle: no mirrored NATS image for a sealed ${profile} stack yet`);
    overrides[platformKey] = { ...platform, nats: { image: `${mirror}/${SEALED_NATS_IMAGE}` } };
  }
  return overrides;
}
