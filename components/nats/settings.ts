import { z } from "zod";
import { imageRef, port, version } from "../settingsCommon";

/**
 * `stellaops-infra:nats`: optional JetStream transport. Off unless `enabled: true`; any other NATS setting
 * without `enabled` is a config error (checked in profiles/config.ts), so NATS never appears by accident.
 */
export const natsSettings = z.strictObject({
  enabled: z.boolean().default(false),
  version: version.default("2.12.1"),
});
export type NatsSettings = z.infer<typeof natsSettings>;

export const natsDockerSettings = z.strictObject({
  image: imageRef.default("nats:2.12.1"),
  hostPort: port.default(4222),
});

export const natsKubernetesSettings = z.strictObject({
  replicas: z.number().int().min(1).default(1),
});

export const natsExternalSettings = z.strictObject({
  url: z.string().regex(/^nats:\/\/[^\s/]+:\d+$/, { error: "must be a URL such as nats://nats.internal:4222" }),
});
