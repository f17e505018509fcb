import type { AuditResource } from "./model";
import { S3_BUCKET_TYPES } from "./resourceTypes";
import { asList, asRecord, asString, isKnown } from "./values";

/**
 * Buckets and the separate resources that configure them (aws v7 splits encryption, public access blocks,
 * policies and Object Lock out of the bucket). Pure.
 */

export function isBucket(resource: AuditResource): boolean {
  return S3_BUCKET_TYPES.includes(resource.type);
}

/** The bucket's physical name, when it is set explicitly and known. */
export function bucketName(bucket: AuditResource): string | undefined {
  return asString(bucket.props["bucket"]);
}

/**
 * Whether `config` (an encryption configuration, policy, …) applies to `bucket`: its `bucket` input names it, or,
 * when that input is not known (a new bucket during preview, an id from the mocks), it was built from the bucket.
 */
export function configuresBucket(config: AuditResource, bucket: AuditResource): boolean {
  const target = config.props["bucket"];
  const name = bucketName(bucket);
  if (name !== undefined && target === name) return true;
  const sources = config.bucketDependencies ?? config.dependencies;
  return sources.includes(bucket.urn);
}

export function configsOf(bucket: AuditResource, resources: readonly AuditResource[], types: readonly string[]) {
  return resources.filter((r) => types.includes(r.type) && configuresBucket(r, bucket));
}

/**
 * Whether a bucket lives on AWS S3 itself. Buckets created through an aws provider pointed at another endpoint
 * (RustFS, any S3-compatible store) are judged only by the rules their backend can honour (see docs/review.md).
 */
export function isAwsS3(resource: AuditResource): boolean {
  if (!resource.provider) return true;
  const endpoints = asList(resource.provider.props["endpoints"]);
  return !endpoints.some((e) => {
    const entry = asRecord(e);
    return isKnown(entry["s3"]) && String(entry["s3"]).length > 0;
  });
}
