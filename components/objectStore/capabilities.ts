import { BUCKET_ROLES, DEFAULT_BUCKET_NAMES } from "../catalog";
import type { SettingsProblem } from "../settingsProblem";
import type { ObjectStoreSettings } from "./settings";

/**
 * What each object-storage backend can do, and what config may ask of it. Pure: no Pulumi.
 * A feature a backend lacks is not attempted; config that requires it is an error naming the key.
 */

export const OBJECT_STORE_BACKENDS = ["aws", "rustfs", "generic-s3"] as const;
export type ObjectStoreBackend = (typeof OBJECT_STORE_BACKENDS)[number];

export interface Capabilities {
  /** Bucket versioning (PutBucketVersioning). */
  readonly versioning: boolean;
  /** Object Lock chosen at bucket creation, with a default retention (PutObjectLockConfiguration). */
  readonly objectLock: boolean;
  /** Default encryption with server-managed keys (PutBucketEncryption, AES256). */
  readonly sseS3: boolean;
  /** Default encryption with a KMS key (PutBucketEncryption, aws:kms). */
  readonly sseKms: boolean;
  /** The four public-access blocks (PutPublicAccessBlock). */
  readonly publicAccessBlock: boolean;
  /** Bucket policies (PutBucketPolicy), used for the TLS-only policy. */
  readonly bucketPolicy: boolean;
  /** Lifecycle expiration of current and noncurrent versions (PutBucketLifecycleConfiguration). */
  readonly lifecycleExpiration: boolean;
  /** The AbortIncompleteMultipartUpload lifecycle action. */
  readonly lifecycleAbortIncompleteUploads: boolean;
  /** AWS IAM managed policies (iam:CreatePolicy): per-service least-privilege grants. */
  readonly iamPolicies: boolean;
}

export const CAPABILITIES: Readonly<Record<ObjectStoreBackend, Capabilities>> = {
  aws: {
    versioning: true,
    objectLock: true,
    sseS3: true,
    sseKms: true,
    publicAccessBlock: true,
    bucketPolicy: true,
    lifecycleExpiration: true,
    lifecycleAbortIncompleteUploads: true,
    iamPolicies: true,
  },
  // RustFS, as its own docs and compatibility gate state it (docs.rustfs.com and rustfs/rustfs
  // docs/architecture/s3-compatibility-matrix.md, checked 2026):
  rustfs: {
    // "Data management: Versioning, lifecycle rules, ... object lock" (administration/protocols/s3).
    versioning: true,
    // Object Lock "requires bucket versioning and must be enabled when the bucket is created"; GOVERNANCE,
    // COMPLIANCE and legal hold (administration/data/object/object-lock).
    objectLock: true,
    // SSE-S3/SSE-KMS need a KMS configured on the server; "RustFS accepts an SSE-S3 bucket default even when KMS
    // is unavailable, but encrypted object writes then fail" (security-compliance/encryption/sse-s3). The servers
    // this program runs configure no KMS, so default encryption would break every write: not attempted.
    sseS3: false,
    sseKms: false,
    // "Public access block put/get/delete: Supported"; "Bucket policy put/get/delete: Supported" (matrix).
    publicAccessBlock: true,
    bucketPolicy: true,
    // Expiration, transition and noncurrent-version rules are documented (administration/data/lifecycle-management).
    lifecycleExpiration: true,
    // AbortIncompleteMultipartUpload is not among RustFS's documented lifecycle actions: not attempted.
    lifecycleAbortIncompleteUploads: false,
    // RustFS users and policies live behind its own admin API, not the AWS IAM API the aws provider calls. The
    // per-service policy documents are still exported for an operator to load with `rc admin`.
    iamPolicies: false,
  },
  // Any other S3-compatible server: only bucket creation is assumed; nothing else is attempted.
  "generic-s3": {
    versioning: false,
    objectLock: false,
    sseS3: false,
    sseKms: false,
    publicAccessBlock: false,
    bucketPolicy: false,
    lifecycleExpiration: false,
    lifecycleAbortIncompleteUploads: false,
    iamPolicies: false,
  },
};

/**
 * Config the backend cannot honour: features it lacks, and (on AWS) bucket names that are surely taken. A cross-block
 * rule (the backend follows the profile), so its home is profiles/componentRules.ts; paths are relative to the
 * `objectStore` block, which the caller prefixes once.
 */
export function backendProblems(settings: ObjectStoreSettings, backend: ObjectStoreBackend): SettingsProblem[] {
  const can = CAPABILITIES[backend];
  const problems: SettingsProblem[] = [];
  const lacks = (what: string) => `the ${backend} backend does not support ${what}`;
  if (settings.objectLock.enabled && !can.objectLock) {
    problems.push({
      path: ["objectLock", "enabled"],
      message: `${lacks("S3 Object Lock")}; turn it off, or use a backend that has it (aws, rustfs)`,
    });
  }
  const expiring = BUCKET_ROLES.filter((role) => settings.lifecycle.expireAfterDays[role] !== undefined);
  for (const role of can.lifecycleExpiration ? [] : expiring) {
    problems.push({
      path: ["lifecycle", "expireAfterDays", role],
      message: `${lacks("lifecycle expiration")}; remove it, or use a backend that has it (aws, rustfs)`,
    });
  }
  if (settings.lifecycle.noncurrentVersionsExpireAfterDays !== undefined && !can.lifecycleExpiration) {
    problems.push({
      path: ["lifecycle", "noncurrentVersionsExpireAfterDays"],
      message: `${lacks("lifecycle expiration")}; remove it, or use a backend that has it (aws, rustfs)`,
    });
  }
  const plainDefaults = BUCKET_ROLES.filter((r) => settings.buckets[r] === DEFAULT_BUCKET_NAMES[r]);
  if (backend === "aws" && settings.bucketPrefix === "" && plainDefaults.length > 0) {
    // S3 names are global across all AWS accounts: the catalog's plain defaults ("replay", …) are surely taken.
    problems.push({
      path: ["bucketPrefix"],
      message: `required on AWS while ${plainDefaults.map((r) => `buckets.${r}`).join(", ")} keep their default names: S3 bucket names are global; set a prefix such as "acme-prod-" (or unique names)`,
    });
  }
  return problems;
}

/** Hardening the config leaves on by default but the backend lacks: skipped, and listed for reviewers. */
export function skippedFeatures(settings: ObjectStoreSettings, backend: ObjectStoreBackend, tls: boolean): string[] {
  const can = CAPABILITIES[backend];
  const skipped: string[] = [];
  if (settings.versioning && !can.versioning) skipped.push("versioning");
  if (!can.publicAccessBlock) skipped.push("public access block");
  if (!can.bucketPolicy) skipped.push("TLS-only bucket policy");
  else if (!tls) skipped.push("TLS-only bucket policy (the endpoint is plain http)");
  if (!can.sseS3 && !can.sseKms) skipped.push("default encryption");
  if (settings.lifecycle.abortIncompleteUploadsAfterDays > 0 && !can.lifecycleAbortIncompleteUploads) {
    skipped.push("abort-incomplete-multipart-uploads lifecycle rule");
  }
  if (!can.iamPolicies) skipped.push("IAM policies (per-service policy documents are exported instead)");
  return skipped;
}
