import { BUCKET_ROLES, type BucketRole, type ServiceSpec } from "../catalog";
import { fullBucketNames } from "./bucketNames";
import { CAPABILITIES, skippedFeatures, type Capabilities, type ObjectStoreBackend } from "./capabilities";
import type { ObjectStoreAwsSettings, ObjectStoreSettings } from "./settings";

/**
 * The bucket layout as plain data: which buckets exist, what each gets on this backend, and which buckets each
 * StellaOps service may touch. Pure: the Buckets component only turns this into resources.
 */

export type EncryptionPlan =
  | { readonly algorithm: "AES256" }
  /** kmsKeyArn absent: the AWS-managed aws/s3 key. */
  | { readonly algorithm: "aws:kms"; readonly kmsKeyArn?: string };

export interface ObjectLockPlan {
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  readonly days?: number;
  readonly years?: number;
}

export interface LifecycleRulePlan {
  /** Stable rule id (renaming one would replace the rule on the server). */
  readonly id: string;
  readonly expirationDays?: number;
  readonly noncurrentVersionExpirationDays?: number;
  readonly abortIncompleteUploadsAfterDays?: number;
}

export interface BucketPlan {
  readonly role: BucketRole;
  /** Full bucket name (prefix included), validated. */
  readonly name: string;
  /** Set at creation only: present means the bucket is created with Object Lock on. */
  readonly objectLock?: ObjectLockPlan;
  readonly versioning: boolean;
  readonly encryption?: EncryptionPlan;
  readonly publicAccessBlock: boolean;
  readonly tlsOnlyPolicy: boolean;
  readonly lifecycleRules: readonly LifecycleRulePlan[];
}

export interface ServiceAccessPlan {
  readonly serviceId: string;
  /** Bucket roles the service reads and writes, in catalog order. */
  readonly roles: readonly BucketRole[];
  /** The subset with Object Lock on (retention and legal-hold actions). */
  readonly objectLockRoles: readonly BucketRole[];
}

export interface ObjectStoreLayout {
  readonly backend: ObjectStoreBackend;
  readonly capabilities: Capabilities;
  readonly buckets: readonly BucketPlan[];
  /** Only services that use at least one bucket. */
  readonly services: readonly ServiceAccessPlan[];
  /** Whether each service's policy becomes an IAM managed policy (AWS). */
  readonly iamPolicies: boolean;
  /** Hardening this backend cannot do, for reviewers (docs/objectStore.md explains each). */
  readonly skipped: readonly string[];
}

/**
 * The KMS key S3 encrypts with (aws.objectStore.kmsKeyArn, else the platform's aws.kmsKeyArn) and the mode: SSE-KMS
 * when a key is configured or asked for, SSE-S3 otherwise.
 */
function awsEncryptionChoice(aws: ObjectStoreAwsSettings, platformKmsKeyArn?: string) {
  const key = aws.kmsKeyArn ?? platformKmsKeyArn;
  return { key, mode: aws.encryption ?? (key !== undefined ? "sse-kms" : "sse-s3") };
}

/**
 * Default encryption on AWS: SSE-KMS when a key is configured (aws.objectStore.kmsKeyArn, else aws.kmsKeyArn) or
 * asked for; SSE-S3 otherwise.
 */
export function resolveAwsEncryption(aws: ObjectStoreAwsSettings, platformKmsKeyArn?: string): EncryptionPlan {
  const { key, mode } = awsEncryptionChoice(aws, platformKmsKeyArn);
  if (mode === "sse-s3") return { algorithm: "AES256" };
  return key !== undefined ? { algorithm: "aws:kms", kmsKeyArn: key } : { algorithm: "aws:kms" };
}

export interface LayoutInput {
  readonly settings: ObjectStoreSettings;
  readonly backend: ObjectStoreBackend;
  /** Whether the S3 endpoint speaks TLS (plain, so previews show every resource). */
  readonly tls: boolean;
  /** Default encryption (AWS); must be absent on a backend without it. */
  readonly encryption?: EncryptionPlan;
  /** The deployment's active StellaOps services (catalog order). */
  readonly services: readonly ServiceSpec[];
}

function lifecycleRules(settings: ObjectStoreSettings, role: BucketRole, can: Capabilities, versioned: boolean) {
  const rules: LifecycleRulePlan[] = [];
  const { expireAfterDays, noncurrentVersionsExpireAfterDays, abortIncompleteUploadsAfterDays } = settings.lifecycle;
  const expiration = expireAfterDays[role];
  if (expiration !== undefined && can.lifecycleExpiration) {
    rules.push({ id: "expire-objects", expirationDays: expiration });
  }
  if (noncurrentVersionsExpireAfterDays !== undefined && versioned && can.lifecycleExpiration) {
    rules.push({
      id: "expire-noncurrent-versions",
      noncurrentVersionExpirationDays: noncurrentVersionsExpireAfterDays,
    });
  }
  if (abortIncompleteUploadsAfterDays > 0 && can.lifecycleAbortIncompleteUploads) {
    rules.push({ id: "abort-incomplete-multipart-uploads", abortIncompleteUploadsAfterDays });
  }
  return rules;
}

/**
 * Lays out the buckets and the per-service access. The settings are the loader's: bucket names are checked by the
 * settings schema, what the backend lacks by profiles/componentRules.ts (backendProblems), so neither is checked again.
 */
export function buildObjectStoreLayout(input: LayoutInput): ObjectStoreLayout {
  const { settings, backend } = input;
  const can = CAPABILITIES[backend];
  if (input.encryption) {
    const supported = input.encryption.algorithm === "AES256" ? can.sseS3 : can.sseKms;
    if (!supported) throw new Error(`default encryption ${input.encryption.algorithm} is not available on ${backend}`);
  }

  const names = fullBucketNames(settings);
  const lock = settings.objectLock;
  const buckets: BucketPlan[] = BUCKET_ROLES.map((role) => {
    const objectLock: ObjectLockPlan | undefined =
      role === "evidence" && lock.enabled ? { mode: lock.mode, days: lock.days, years: lock.years } : undefined;
    const versioning = can.versioning && (settings.versioning || objectLock !== undefined);
    return {
      role,
      name: names[role],
      objectLock,
      versioning,
      encryption: input.encryption,
      publicAccessBlock: can.publicAccessBlock,
      // A TLS-only policy on a plain-http endpoint would refuse every request, this program's included.
      tlsOnlyPolicy: can.bucketPolicy && input.tls,
      lifecycleRules: lifecycleRules(settings, role, can, versioning),
    };
  });

  const locked = new Set(buckets.filter((b) => b.objectLock).map((b) => b.role));
  const services: ServiceAccessPlan[] = input.services
    .map((service) => {
      const roles = BUCKET_ROLES.filter((role) => service.buckets.includes(role));
      return { serviceId: service.id, roles, objectLockRoles: roles.filter((r) => locked.has(r)) };
    })
    .filter((s) => s.roles.length > 0);

  return {
    backend,
    capabilities: can,
    buckets,
    services,
    iamPolicies: can.iamPolicies,
    skipped: skippedFeatures(settings, backend, input.tls),
  };
}
