import { z } from "zod";
import { imageRef, memorySize, port, version } from "../settingsCommon";

/** `stellaops-infra:valkey`: platform-independent Valkey settings. Every field has a default. */
export const valkeySettings = z.strictObject({
  /** Valkey version; StellaOps's 2026 reference stack runs 9.0.1, supported floor 8.0. */
  version: version.default("9.0.1"),
  /** Explicit memory limit: with noeviction, writes fail loudly instead of silently dropping keys. */
  maxmemory: memorySize.default("1gb"),
  /** `shared`: one StellaOps user; `per-service`: one user per service limited to its key patterns. */
  aclMode: z.enum(["shared", "per-service"]).default("shared"),
});
export type ValkeySettings = z.infer<typeof valkeySettings>;

export const valkeyDockerSettings = z.strictObject({
  image: imageRef.default("valkey/valkey:9.0.1"),
  hostPort: port.default(6379),
});

export const valkeyKubernetesSettings = z.strictObject({
  image: imageRef.default("docker.io/valkey/valkey:9.0.1"),
});

export const valkeyAwsSettings = z.strictObject({
  nodeType: z.string().default("cache.t4g.medium"),
});

export const valkeyExternalSettings = z.strictObject({
  host: z.string().min(1),
  port: port.default(6379),
});
