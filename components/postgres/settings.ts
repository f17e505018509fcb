import { z } from "zod";
import { imageRef, port, version } from "../settingsCommon";

/** `stellaops-infra:postgres`: platform-independent PostgreSQL settings. Every field has a default. */
export const postgresSettings = z.strictObject({
  /** PostgreSQL major.minor; StellaOps's 2026 reference stack runs 18.1, supported floor 16. */
  version: version.default("18.1"),
  /** Main database holding one schema per service. */
  database: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: "must be a lowercase PostgreSQL identifier" })
    .default("stellaops"),
});
export type PostgresSettings = z.infer<typeof postgresSettings>;

/** `stellaops-infra:docker.postgres` */
export const postgresDockerSettings = z.strictObject({
  image: imageRef.default("postgres:18.1"),
  hostPort: port.default(5432),
});

/** `stellaops-infra:kubernetes.postgres` */
export const postgresKubernetesSettings = z.strictObject({
  imageName: imageRef.default("ghcr.io/cloudnative-pg/postgresql:18.1"),
  instances: z.number().int().min(1).max(9).default(1),
});

/** `stellaops-infra:aws.postgres` */
export const postgresAwsSettings = z.strictObject({
  instanceClass: z.string().default("db.t4g.medium"),
});

/** `stellaops-infra:external.postgres`: an existing server. */
export const postgresExternalSettings = z.strictObject({
  host: z.string().min(1),
  port: port.default(5432),
});
