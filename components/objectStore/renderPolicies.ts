/**
 * IAM-style policy documents for the buckets: the TLS-only bucket policy and one least-privilege policy per
 * StellaOps service. Pure: ARNs in, JSON-ready objects out (RustFS reads the same policy language).
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Refuses every request to the bucket and its objects that does not arrive over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** Bucket-level actions a service needs on its own buckets: list keys, find the region, see open uploads. */
export const BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"] as const;

/**
 * Object actions on a service's own buckets. No s3:DeleteObjectVersion (a delete only adds a delete marker on a
 * versioned bucket) and nothing on bucket configuration.
 */
export const OBJECT_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
] as const;

/**
 * WORM actions on an Object Lock bucket: set and read retention and legal holds. s3:BypassGovernanceRetention is
 * deliberately absent, so no service can shorten GOVERNANCE retention.
 */
export const OBJECT_LOCK_ACTIONS = [
  "s3:GetObjectRetention",
  "s3:PutObjectRetention",
  "s3:GetObjectLegalHold",
  "s3:PutObjectLegalHold",
] as const;

/** The KMS actions SSE-KMS needs for reads and writes through S3. */
export const KMS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

export interface ServiceBucketAccess {
  /** Bucket ARNs the service uses (`arn:aws:s3:::name`). */
  readonly bucketArns: readonly string[];
  /** The subset with Object Lock on. */
  readonly objectLockBucketArns: readonly string[];
  /** Customer-managed key the buckets are encrypted with, and the region S3 uses it from. */
  readonly kms?: { readonly keyArn: string; readonly region: string };
}

/** DNS suffix of a region's service endpoints (China regions differ). */
export function awsDnsSuffix(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * An S3 bucket's ARN: the provider derives it from the partition and the bucket name alone (terraform-provider-aws
 * internal/service/s3/bucket.go, resourceBucketRead: `arn.ARN{Partition, Service: "s3", Resource: bucket}`), so
 * policies built from it are known before the bucket exists and `pulumi preview` and the offline plan judge them.
 */
export function s3BucketArn(bucketName: string, region: string): string {
  const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:s3:::${bucketName}`;
}

/** Least privilege for one service: its buckets and their objects, nothing else. */
export function serviceAccessPolicy(access: ServiceBucketAccess): PolicyDocument {
  if (access.bucketArns.length === 0) throw new Error("a service access policy needs at least one bucket");
  const statements: PolicyStatement[] = [
    { Sid: "ListOwnBuckets", Effect: "Allow", Action: [...BUCKET_ACTIONS], Resource: [...access.bucketArns] },
    {
      Sid: "ReadWriteOwnObjects",
      Effect: "Allow",
      Action: [...OBJECT_ACTIONS],
      Resource: access.bucketArns.map((arn) => `${arn}/*`),
    },
  ];
  if (access.objectLockBucketArns.length > 0) {
    statements.push({
      Sid: "RetainOwnObjects",
      Effect: "Allow",
      Action: [...OBJECT_LOCK_ACTIONS],
      Resource: access.objectLockBucketArns.map((arn) => `${arn}/*`),
    });
  }
  if (access.kms) {
    statements.push({
      Sid: "UseBucketKeyThroughS3",
      Effect: "Allow",
      Action: [...KMS_ACTIONS],
      Resource: [access.kms.keyArn],
      Condition: { StringEquals: { "kms:ViaService": `s3.${access.kms.region}.${awsDnsSuffix(access.kms.region)}` } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * Name and description of a service's IAM managed policy (AWS). Both force a new policy
 * (hashicorp/terraform-provider-aws internal/service/iam/policy.go: `name`, `name_prefix`, `path` and
 * `description` are ForceNew), and the name is fixed, so a replacement's create would fail with
 * EntityAlreadyExists. Neither may vary with anything but the service: which buckets it uses lives in the
 * policy document, which IAM updates in place (a new default policy version).
 */
export function servicePolicyIdentity(namePrefix: string, serviceId: string): { name: string; description: string } {
  return {
    name: `${namePrefix}-${serviceId}-s3`,
    description: `StellaOps ${serviceId}: read and write its own buckets only`,
  };
}
