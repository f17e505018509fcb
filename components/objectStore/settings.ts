import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { BUCKET_ROLES, DEFAULT_BUCKET_NAMES } from "../catalog";
import { kmsKeyArn } from "../kmsKey";
import { imageRef, port, secretString, storageQuantity } from "../settingsCommon";
import { bucketNameProblems } from "./bucketNames";

/**
 * Object storage settings, one block per config key (reference table in docs/objectStore.md).
 * Every field has a default except an external server's endpoint, accessKey and secretKey.
 */

/** Credentials every RustFS (and MinIO) install ships with: public knowledge, so never accepted. */
export const PUBLIC_DEFAULT_CREDENTIALS = ["rustfsadmin", "minioadmin"] as const;

const bucketName = z.string({ error: "must be a bucket name such as scanner-artifacts" });
const bucketNames = z.strictObject(
  Object.fromEntries(BUCKET_ROLES.map((role) => [role, bucketName.default(DEFAULT_BUCKET_NAMES[role])])) as {
    [K in (typeof BUCKET_ROLES)[number]]: z.ZodDefault<z.ZodString>;
  },
);

const days = (max: number) =>
  z
    .number({ error: `must be a whole number of days (1-${max})` })
    .int({ error: `must be a whole number of days (1-${max})` })
    .min(1, { error: `must be a whole number of days (1-${max})` })
    .max(max, { error: `must be a whole number of days (1-${max})` });

const region = z
  .string({ error: "must be a region name such as us-east-1" })
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { error: "must be a region name such as us-east-1 (lowercase, digits, '-')" });

export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;

/**
 * S3 Object Lock on the evidence bucket (WORM). Off unless asked for: it can only be chosen when the bucket is
 * created, and COMPLIANCE retention cannot be shortened by anyone, the account root included.
 */
const objectLock = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).default(false),
  /** GOVERNANCE: holders of s3:BypassGovernanceRetention may shorten it; COMPLIANCE: nobody may. */
  mode: z.enum(OBJECT_LOCK_MODES, { error: 'must be "GOVERNANCE" or "COMPLIANCE"' }).default("GOVERNANCE"),
  /** Default retention period for new object versions: set exactly one of days or years. */
  days: days(36500).optional(),
  years: z
    .number({ error: "must be a whole number of years (1-100)" })
    .int({ error: "must be a whole number of years (1-100)" })
    .min(1, { error: "must be a whole number of years (1-100)" })
    .max(100, { error: "must be a whole number of years (1-100)" })
    .optional(),
});

const expireAfterDays = z.strictObject(
  Object.fromEntries(BUCKET_ROLES.map((role) => [role, days(36500).optional()])) as {
    [K in (typeof BUCKET_ROLES)[number]]: z.ZodOptional<ReturnType<typeof days>>;
  },
);

const lifecycle = z.strictObject({
  /** Delete current objects of a bucket N days after creation, by role, e.g. `{ surfaceCache: 30 }`. Off by default. */
  expireAfterDays: expireAfterDays.prefault({}),
  /** Delete noncurrent (overwritten or deleted) versions N days after they became noncurrent. Off by default. */
  noncurrentVersionsExpireAfterDays: days(36500).optional(),
  /** Abort multipart uploads left incomplete for N days (their parts cost storage and are invisible); 0 turns it off. */
  abortIncompleteUploadsAfterDays: z
    .number({ error: "must be a whole number of days (0 turns the rule off)" })
    .int({ error: "must be a whole number of days (0 turns the rule off)" })
    .min(0, { error: "must be a whole number of days (0 turns the rule off)" })
    .max(365, { error: "must be at most 365 days" })
    .default(7),
});

/** `stellaops-infra:objectStore`: the bucket layout, whatever the backend. */
export const objectStoreSettings = z
  .strictObject({
    buckets: bucketNames.prefault({}),
    /** Prefix for every bucket name (S3 bucket names are global on AWS), e.g. "acme-prod-". */
    bucketPrefix: z.string({ error: 'must be a string such as "acme-prod-"' }).default(""),
    /** Versioning on every bucket where the backend supports it (required by Object Lock). */
    versioning: z.boolean({ error: "must be true or false" }).default(true),
    objectLock: objectLock.prefault({}),
    lifecycle: lifecycle.prefault({}),
  })
  .superRefine((settings, ctx) => {
    for (const problem of bucketNameProblems(settings)) {
      ctx.addIssue({ code: "custom", path: [...problem.path], message: problem.message });
    }
    const lock = settings.objectLock;
    if (lock.enabled && (lock.days === undefined) === (lock.years === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["objectLock", lock.days === undefined ? "days" : "years"],
        message: "set exactly one of objectLock.days or objectLock.years (the default retention) when enabled is true",
      });
    }
    if (!lock.enabled && (lock.days !== undefined || lock.years !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["objectLock", "enabled"],
        message: "a retention period is set but enabled is not true; set enabled: true or remove days/years",
      });
    }
    if (lock.enabled && !settings.versioning) {
      ctx.addIssue({
        code: "custom",
        path: ["versioning"],
        message: "must be true while objectLock.enabled is true: Object Lock protects object versions",
      });
    }
    if (!settings.versioning && settings.lifecycle.noncurrentVersionsExpireAfterDays !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["lifecycle", "noncurrentVersionsExpireAfterDays"],
        message: "only applies to versioned buckets; set versioning: true or remove it",
      });
    }
  });
export type ObjectStoreSettings = z.infer<typeof objectStoreSettings>;

/** `stellaops-infra:docker.objectStore`: RustFS in one container. */
export const objectStoreDockerSettings = z.strictObject({
  /** Pinned RustFS image; sealed stacks require the mirror and a digest (checked in profiles/config.ts). */
  image: imageRef.default("rustfs/rustfs:1.0.0"),
  /** S3 port inside the network: StellaOps addresses RustFS on 8080 (RustFS's own default is 9000). */
  port: port.default(8080),
  /** Port published on docker.bindAddress for this program's S3 provider (and local tools). */
  hostPort: port.default(8080),
  region: region.default("us-east-1"),
  /** RustFS's web console; off unless asked for (it is an admin UI on the root credentials). */
  consoleEnabled: z.boolean({ error: "must be true or false" }).default(false),
  consoleHostPort: port.default(9001),
});
export type ObjectStoreDockerSettings = z.infer<typeof objectStoreDockerSettings>;

const s3Url = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://s3.example.internal:9000" })
  .refine((u) => /^https?:\/\/[^/?#]+\/?$/.test(u), {
    error: "must be the server's base URL without a path, query or fragment, e.g. https://s3.example.internal:9000",
  });

/** `stellaops-infra:kubernetes.objectStore`: RustFS as a one-replica StatefulSet with a persistent volume. */
export const objectStoreKubernetesSettings = z.strictObject({
  image: imageRef.default("docker.io/rustfs/rustfs:1.0.0"),
  /** S3 port of the Service (and the container). */
  port: port.default(8080),
  region: region.default("us-east-1"),
  /** Size of the data claim; growing it expands the claim in place (the storage class must allow expansion). */
  storageSize: storageQuantity.default("20Gi"),
  /**
   * Where this program's S3 provider reaches RustFS (an Ingress or load-balancer URL): the in-cluster Service URL
   * when absent, allowed only with `kubernetes.runsInCluster` (checked in profiles/configRules.ts).
   */
  adminEndpoint: s3Url.optional(),
});
export type ObjectStoreKubernetesSettings = z.infer<typeof objectStoreKubernetesSettings>;

export const AWS_ENCRYPTION_MODES = ["sse-s3", "sse-kms"] as const;

/** `stellaops-infra:aws.objectStore`: Amazon S3. */
export const objectStoreAwsSettings = z
  .strictObject({
    /** Default encryption: sse-kms when a KMS key is configured (here or aws.kmsKeyArn), else sse-s3. */
    encryption: z.enum(AWS_ENCRYPTION_MODES, { error: 'must be "sse-s3" or "sse-kms"' }).optional(),
    /** KMS key for SSE-KMS; aws.kmsKeyArn when absent, the AWS-managed aws/s3 key when both are. */
    kmsKeyArn: kmsKeyArn.optional(),
  })
  .refine((s) => !(s.encryption === "sse-s3" && s.kmsKeyArn !== undefined), {
    error: 'is only used with encryption "sse-kms"; remove it or set encryption: sse-kms',
    path: ["kmsKeyArn"],
  });
export type ObjectStoreAwsSettings = z.infer<typeof objectStoreAwsSettings>;

export const EXTERNAL_FLAVORS = ["rustfs", "generic-s3"] as const;

/** Whether a credential is one of the public defaults (compared the way RustFS's entrypoint trims it). */
export function isPublicDefaultCredential(value: string): boolean {
  return (PUBLIC_DEFAULT_CREDENTIALS as readonly string[]).includes(value.trim().toLowerCase());
}

/** `stellaops-infra:external.objectStore`: an existing S3-compatible server. */
export const objectStoreExternalSettings = z.strictObject({
  endpoint: s3Url,
  region: region.default("us-east-1"),
  /** What the server is: decides which bucket features are attempted (capability table in docs/objectStore.md). */
  flavor: z.enum(EXTERNAL_FLAVORS, { error: 'must be "rustfs" or "generic-s3"' }).default("generic-s3"),
  /** Path-style addressing (http://host/bucket/key); most self-hosted servers need it. */
  pathStyle: z.boolean({ error: "must be true or false" }).default(true),
  accessKey: z
    .string({ error: "required: the access key StellaOps and this program use" })
    .min(3, { error: "must be at least 3 characters" })
    .refine((v) => !isPublicDefaultCredential(v), {
      error: `must not be a public default credential (${PUBLIC_DEFAULT_CREDENTIALS.join(", ")})`,
    }),
  secretKey: secretString
    .min(8, { error: "must be at least 8 characters" })
    .refine((v) => !isPublicDefaultCredential(v), {
      error: `must not be a public default credential (${PUBLIC_DEFAULT_CREDENTIALS.join(", ")})`,
    }),
  /** Where this program reaches the server when that differs from where the services do (a tunnel). */
  adminEndpoint: s3Url.optional(),
});

/** The external block as the components receive it: the config loader hands secretKey over as an Output. */
export type ObjectStoreExternalSettings = Omit<z.infer<typeof objectStoreExternalSettings>, "secretKey"> & {
  readonly secretKey: pulumi.Input<string>;
};
