import * as aws from "../sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { activeServices, type BucketRole } from "../catalog";
import { statefulResourceOptions, type ObjectStoreServiceConnection, type StatefulOptions } from "../contract";
import type { AwsPlatform } from "../platform";
import {
  buildObjectStoreLayout,
  resolveAwsEncryption,
  type BucketPlan,
  type EncryptionPlan,
  type ObjectStoreLayout,
  type ServiceAccessPlan,
} from "./model";
import { objectStoreServiceConnection, type ObjectStoreEndpoint } from "./connections";
import { s3BucketArn, serviceAccessPolicy, servicePolicyIdentity, tlsOnlyBucketPolicy } from "./renderPolicies";
import { s3CompatibleProvider } from "./provider";
import type { ObjectStoreServer } from "./server";
import type { ObjectStoreAwsSettings, ObjectStoreSettings } from "./settings";

/** Amazon S3 itself: no server; the buckets use the platform's aws provider. */
export interface AwsBucketsTarget {
  readonly kind: "aws";
  readonly platform: AwsPlatform;
  /** The stack's region (aws.region), plain: the services' endpoint URL and the KMS condition in their policies. */
  readonly region: string;
  readonly aws: ObjectStoreAwsSettings;
}

/** An S3-compatible server (RustFS on Docker or Kubernetes, or an existing one). */
export interface ServerBucketsTarget {
  readonly kind: "server";
  readonly server: ObjectStoreServer;
}

export interface BucketsArgs {
  readonly settings: ObjectStoreSettings;
  readonly target: AwsBucketsTarget | ServerBucketsTarget;
  /** Optional StellaOps services enabled in the stack config (`services.optional`). */
  readonly optionalServices: readonly string[];
  /** The platform's protect/retainOnDelete for the buckets. */
  readonly stateful: StatefulOptions;
}

/**
 * The StellaOps bucket layout on one backend: buckets from the catalog and config, each with the hardening the
 * backend supports (capabilities.ts), and one least-privilege policy per service. Every resource waits for the
 * server's readyResources and for nothing else. Buckets are stateful (protect/retainOnDelete, never forceDestroy);
 * their inputs depend only on their name and Object Lock, which S3 fixes at creation (docs/objectStore.md).
 */
export class Buckets extends pulumi.ComponentResource {
  public readonly layout: ObjectStoreLayout;
  public readonly provider: aws.Provider;
  public readonly buckets: Readonly<Record<BucketRole, aws.s3.Bucket>>;
  private readonly arns: Readonly<Record<BucketRole, pulumi.Output<string>>>;
  private readonly awsRegion: string | undefined;
  /** Per service id: its policy document (JSON), on every backend (RustFS operators can load it with `rc admin`). */
  public readonly servicePolicyDocuments: Readonly<Record<string, pulumi.Output<string>>>;
  /** Per service id: the IAM managed policy (AWS only). */
  public readonly iamPolicies: Readonly<Record<string, aws.iam.Policy>>;
  /** Per service id with at least one bucket. */
  public readonly connections: Readonly<Record<string, ObjectStoreServiceConnection>>;

  constructor(name: string, args: BucketsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:objectStore:Buckets", name, {}, opts);
    const { target } = args;
    this.awsRegion = target.kind === "aws" ? target.region : undefined;
    const encryption = target.kind === "aws" ? resolveAwsEncryption(target.aws, target.platform.kmsKeyArn) : undefined;
    this.layout = buildObjectStoreLayout({
      settings: args.settings,
      backend: target.kind === "aws" ? "aws" : target.server.backend,
      tls: target.kind === "aws" ? true : target.server.https,
      encryption,
      services: activeServices(args.optionalServices),
    });
    const ready = target.kind === "aws" ? [] : target.server.readyResources;
    // Buckets on a server this program runs are deleted with it (its container or StatefulSet): a destroy does not
    // delete them one by one, which fails on the first non-empty bucket (never forceDestroy) and stops the destroy.
    // What happens to the objects is the data volume's own protect/retainOnDelete. S3 buckets are the server, and
    // an existing server is not ours: both keep ordinary deletes.
    const deletedWith = target.kind === "aws" ? undefined : target.server.deletedWith;
    this.provider =
      target.kind === "aws"
        ? target.platform.provider
        : s3CompatibleProvider(
            `${name}-provider`,
            {
              endpoint: target.server.adminUrl,
              region: target.server.region,
              accessKey: target.server.admin.username,
              secretKey: target.server.admin.password,
            },
            { parent: this, dependsOn: ready },
          );

    this.buckets = Object.fromEntries(
      this.layout.buckets.map((plan) => [plan.role, this.bucket(name, plan, args.stateful, ready, deletedWith)]),
    ) as Record<BucketRole, aws.s3.Bucket>;
    this.arns = Object.fromEntries(
      this.layout.buckets.map((plan) => [plan.role, this.arnOf(plan, this.buckets[plan.role])]),
    ) as Record<BucketRole, pulumi.Output<string>>;

    const kms =
      target.kind === "aws" && encryption?.algorithm === "aws:kms" && encryption.kmsKeyArn !== undefined
        ? { keyArn: encryption.kmsKeyArn, region: target.region }
        : undefined;
    this.servicePolicyDocuments = Object.fromEntries(
      this.layout.services.map((service) => [service.serviceId, this.policyDocument(service, kms)]),
    );
    this.iamPolicies =
      target.kind === "aws" && this.layout.iamPolicies
        ? Object.fromEntries(
            this.layout.services.map((service) => [
              service.serviceId,
              new aws.iam.Policy(
                `${name}-${service.serviceId}-policy`,
                {
                  ...servicePolicyIdentity(target.platform.namePrefix, service.serviceId),
                  policy: this.servicePolicyDocuments[service.serviceId],
                },
                // Policies created before the description was constant carry one listing the bucket roles; without
                // this, the change to the constant text would itself be the failing replacement. The text is cosmetic.
                { parent: this, provider: this.provider, ignoreChanges: ["description"] },
              ),
            ]),
          )
        : {};
    const bucketNames = Object.fromEntries(Object.entries(this.buckets).map(([role, b]) => [role, b.bucket]));
    const endpoint: ObjectStoreEndpoint =
      target.kind === "aws" ? { kind: "aws", region: target.region } : { kind: "server", server: target.server };
    this.connections = Object.fromEntries(
      this.layout.services.map((service) => [
        service.serviceId,
        objectStoreServiceConnection(service, bucketNames, endpoint, this.iamPolicies[service.serviceId]?.arn),
      ]),
    );

    this.registerOutputs({
      bucketNames: Object.fromEntries(Object.entries(this.buckets).map(([role, b]) => [role, b.bucket])),
      servicePolicyDocuments: this.servicePolicyDocuments,
      skipped: this.layout.skipped,
    });
  }

  /** On AWS a bucket's ARN follows from its name (known at preview); an S3-compatible server's provider reports it. */
  private arnOf(plan: BucketPlan, bucket: aws.s3.Bucket): pulumi.Output<string> {
    return this.awsRegion !== undefined ? pulumi.output(s3BucketArn(plan.name, this.awsRegion)) : bucket.arn;
  }

  /**
   * One bucket and its configuration. The sub-resources are applied one after another: S3 refuses concurrent
   * configuration changes on one bucket ("A conflicting conditional operation is in progress").
   */
  private bucket(
    name: string,
    plan: BucketPlan,
    stateful: StatefulOptions,
    ready: pulumi.Resource[],
    deletedWith: pulumi.Resource | undefined,
  ): aws.s3.Bucket {
    const base = { parent: this, provider: this.provider, deletedWith };
    const bucket = new aws.s3.Bucket(
      `${name}-${plan.role}`,
      {
        bucket: plan.name,
        // Never delete objects to make a destroy succeed; a non-empty bucket stays.
        forceDestroy: false,
        // S3 decides Object Lock at creation only: changing this replaces the bucket, which `protect` refuses.
        // No tags here: on AWS they come from the provider's defaultTags, so a tag edit never touches a bucket.
        objectLockEnabled: plan.objectLock !== undefined,
      },
      { ...base, dependsOn: ready, ...statefulResourceOptions(stateful) },
    );
    let previous: pulumi.Resource = bucket;
    const next = <T extends pulumi.Resource>(create: (o: pulumi.CustomResourceOptions) => T): T => {
      previous = create({ ...base, dependsOn: [...ready, previous] });
      return previous as T;
    };
    const id = `${name}-${plan.role}`;
    if (plan.publicAccessBlock) {
      next(
        (o) =>
          new aws.s3.BucketPublicAccessBlock(
            `${id}-public-access`,
            {
              bucket: bucket.bucket,
              blockPublicAcls: true,
              ignorePublicAcls: true,
              blockPublicPolicy: true,
              restrictPublicBuckets: true,
            },
            o,
          ),
      );
    }
    if (plan.tlsOnlyPolicy) {
      next(
        (o) =>
          new aws.s3.BucketPolicy(
            `${id}-tls-only`,
            {
              bucket: bucket.bucket,
              policy: this.arnOf(plan, bucket).apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
            },
            o,
          ),
      );
    }
    if (plan.versioning) {
      next(
        (o) =>
          new aws.s3.BucketVersioning(
            `${id}-versioning`,
            { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } },
            o,
          ),
      );
    }
    if (plan.objectLock) {
      const { mode, days, years } = plan.objectLock;
      next(
        (o) =>
          new aws.s3.BucketObjectLockConfiguration(
            `${id}-object-lock`,
            { bucket: bucket.bucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode, days, years } } },
            o,
          ),
      );
    }
    const encryption = plan.encryption;
    if (encryption) {
      next(
        (o) =>
          new aws.s3.BucketServerSideEncryptionConfiguration(
            `${id}-encryption`,
            { bucket: bucket.bucket, rules: [encryptionRule(encryption)] },
            o,
          ),
      );
    }
    if (plan.lifecycleRules.length > 0) {
      next(
        (o) =>
          new aws.s3.BucketLifecycleConfiguration(
            `${id}-lifecycle`,
            {
              bucket: bucket.bucket,
              rules: plan.lifecycleRules.map((rule) => ({
                id: rule.id,
                status: "Enabled",
                filter: { prefix: "" },
                expiration: rule.expirationDays !== undefined ? { days: rule.expirationDays } : undefined,
                noncurrentVersionExpiration:
                  rule.noncurrentVersionExpirationDays !== undefined
                    ? { noncurrentDays: rule.noncurrentVersionExpirationDays }
                    : undefined,
                abortIncompleteMultipartUpload:
                  rule.abortIncompleteUploadsAfterDays !== undefined
                    ? { daysAfterInitiation: rule.abortIncompleteUploadsAfterDays }
                    : undefined,
              })),
            },
            o,
          ),
      );
    }
    return bucket;
  }

  private policyDocument(
    service: ServiceAccessPlan,
    kms: { keyArn: string; region: string } | undefined,
  ): pulumi.Output<string> {
    return pulumi.all(service.roles.map((role) => this.arns[role])).apply((arns) => {
      const arnOf = new Map(service.roles.map((role, i) => [role, arns[i]]));
      return JSON.stringify(
        serviceAccessPolicy({
          bucketArns: arns,
          objectLockBucketArns: service.objectLockRoles.map((role) => arnOf.get(role) as string),
          kms,
        }),
      );
    });
  }
}

function encryptionRule(encryption: EncryptionPlan): aws.types.input.s3.BucketServerSideEncryptionConfigurationRule {
  if (encryption.algorithm === "AES256") return { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
  return {
    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.kmsKeyArn },
    // S3 Bucket Keys cut KMS requests (and cost) by orders of magnitude for busy buckets.
    bucketKeyEnabled: true,
  };
}
