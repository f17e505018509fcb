import { z } from "zod";

/**
 * KMS key settings (aws.kmsKeyArn, aws.objectStore.kmsKeyArn). Pure: no Pulumi.
 *
 * Only the key's own ARN is accepted, in the form AWS stores and returns: RDS and ElastiCache keep the key ARN
 * whatever `kmsKeyId` was given (an alias ARN, a bare key id), and `kms_key_id` forces a new resource
 * (terraform-provider-aws internal/service/rds/instance.go and elasticache/replication_group.go), so anything else
 * would plan a replacement of the database and the cache on every later `up`. S3 needs the key ARN too: the
 * services' IAM policies must name the key itself to grant kms:Decrypt.
 */

/** Key id: a UUID, or a multi-Region key id (`mrk-` and 32 hex digits); lowercase, as KMS returns them. */
const KEY_ID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";

/** `arn:<partition>:kms:<region>:<account>:key/<key id>`, capturing the region. */
const KEY_ARN = new RegExp(`^arn:aws(-[a-z]+)*:kms:([a-z]{2}(-[a-z]+)+-\\d):\\d{12}:key/${KEY_ID}$`);

export const KMS_KEY_ARN_RULE =
  "must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id> with the key id a lowercase UUID or a multi-Region mrk-<32 hex digits> id; not an alias or a bare key id (AWS stores the key ARN, so anything else would replace RDS and ElastiCache on every later up)";

export const kmsKeyArn = z.string({ error: KMS_KEY_ARN_RULE }).regex(KEY_ARN, { error: KMS_KEY_ARN_RULE });

/** The region of a key ARN that passed `kmsKeyArn`; undefined for anything else. */
export function kmsKeyRegion(arn: string): string | undefined {
  return KEY_ARN.exec(arn)?.[2];
}
