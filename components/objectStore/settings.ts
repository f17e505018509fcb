import { z } from "zod";
import { BUCKET_ROLES, DEFAULT_BUCKET_NAMES } from "../catalog";
import { imageRef, port } from "../settingsCommon";

const bucketNames = z.strictObject(
  Object.fromEntries(BUCKET_ROLES.map((role) => [role, z.string().default(DEFAULT_BUCKET_NAMES[role])])) as {
    [K in (typeof BUCKET_ROLES)[number]]: z.ZodDefault<z.ZodString>;
  },
);

/** `stellaops-infra:objectStore`: the bucket layout, whatever the backend. */
export const objectStoreSettings = z.strictObject({
  buckets: bucketNames.prefault({}),
  /** Prefix for every bucket name (global uniqueness on AWS), e.g. "acme-prod-". */
  bucketPrefix: z.string().default(""),
});
export type ObjectStoreSettings = z.infer<typeof objectStoreSettings>;

export const objectStoreDockerSettings = z.strictObject({
  image: imageRef.default("rustfs/rustfs:latest"),
  /** StellaOps addresses RustFS on 8080 (RustFS's own default is 9000). */
  hostPort: port.default(8080),
});

export const objectStoreKubernetesSettings = z.strictObject({
  image: imageRef.default("rustfs/rustfs:latest"),
});

export const objectStoreAwsSettings = z.strictObject({});

export const objectStoreExternalSettings = z.strictObject({
  endpoint: z.url({ error: "must be an http(s) URL such as https://s3.example.internal:9000" }),
  region: z.string().default("us-east-1"),
});
