import type { BucketArgs } from "@pulumi/aws/s3/bucket";
import type { BucketObjectLockConfigurationArgs } from "@pulumi/aws/s3/bucketObjectLockConfiguration";
import { bucketName, configsOf, isBucket } from "../buckets";
import { violation, type AuditResource, type StackContext, type StackRule, type Violation } from "../model";
import { prop, S3_OBJECT_LOCK_TYPES } from "../resourceTypes";
import { asNumber, asRecord, isKnown, isPending, isTrue } from "../values";

/**
 * Evidence is immutable when the stack asks for it: the evidence bucket is created with S3 Object Lock and a
 * default retention, so nobody (in COMPLIANCE mode not even the account root) can delete or overwrite evidence.
 */

const OBJECT_LOCK_ENABLED = prop<BucketArgs>("objectLockEnabled");
const INLINE_LOCK = prop<BucketArgs>("objectLockConfiguration");
const LOCK_RULE = prop<BucketObjectLockConfigurationArgs>("rule");
const LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"];

/** The evidence bucket(s): by physical name when the context knows it, else by "evidence" in the name. */
export function evidenceBuckets(resources: readonly AuditResource[], ctx: StackContext): AuditResource[] {
  const buckets = resources.filter(isBucket);
  const byName = ctx.evidenceBucket ? buckets.filter((b) => bucketName(b) === ctx.evidenceBucket) : [];
  if (byName.length > 0) return byName;
  return buckets.filter((b) => /evidence/i.test(b.name) || /evidence/i.test(bucketName(b) ?? ""));
}

function hasDefaultRetention(rule: unknown): boolean {
  if (isPending(rule)) return true;
  const retention = asRecord(asRecord(rule)["defaultRetention"]);
  const mode = retention["mode"];
  const period = asNumber(retention["days"]) ?? asNumber(retention["years"]);
  const modeOk = isPending(mode) || (isKnown(mode) && LOCK_MODES.includes(String(mode)));
  const periodOk =
    isPending(retention["days"]) || isPending(retention["years"]) || (period !== undefined && period > 0);
  return modeOk && periodOk;
}

export const evidenceObjectLock: StackRule = {
  kind: "stack",
  name: "evidence-object-lock",
  description:
    "When the stack asks for immutable evidence, the evidence bucket is created with S3 Object Lock and a default retention (GOVERNANCE or COMPLIANCE, days or years).",
  remediation:
    "Create the evidence bucket with objectLockEnabled: true and an aws.s3.BucketObjectLockConfiguration whose rule.defaultRetention has a mode and a period. Object Lock can only be chosen when a bucket is created.",
  severity: "high",
  level: (ctx: StackContext) => (ctx.immutableEvidence ? "mandatory" : "disabled"),
  uses: ["immutableEvidence", "evidenceBucket"],
  check(resources, ctx) {
    if (!ctx.immutableEvidence) return [];
    const buckets = evidenceBuckets(resources, ctx);
    if (buckets.length === 0) {
      return [
        {
          message: violation(
            `the stack asks for immutable evidence but has no evidence bucket${ctx.evidenceBucket ? ` named ${ctx.evidenceBucket}` : ""}`,
            "create the evidence bucket in this stack (objectStore.buckets.evidence) with Object Lock",
          ),
        },
      ];
    }
    const found: Violation[] = [];
    for (const bucket of buckets) {
      const inline = asRecord(bucket.props[INLINE_LOCK]);
      const lockOn =
        isTrue(bucket.props[OBJECT_LOCK_ENABLED]) ||
        isPending(bucket.props[OBJECT_LOCK_ENABLED]) ||
        inline["objectLockEnabled"] === "Enabled";
      if (!lockOn) {
        found.push({
          urn: bucket.urn,
          message: violation(
            `evidence bucket ${bucket.name} is created without Object Lock, so evidence can be deleted or overwritten`,
            `set ${OBJECT_LOCK_ENABLED}: true on the bucket; S3 allows this only when the bucket is created, so an existing bucket must be replaced (copy its objects into a new locked bucket)`,
          ),
        });
        continue;
      }
      const rules = [
        ...(inline[LOCK_RULE] !== undefined ? [inline[LOCK_RULE]] : []),
        ...configsOf(bucket, resources, S3_OBJECT_LOCK_TYPES).map((c) => c.props[LOCK_RULE]),
      ];
      if (!rules.some(hasDefaultRetention)) {
        found.push({
          urn: bucket.urn,
          message: violation(
            `evidence bucket ${bucket.name} has Object Lock but no default retention, so new evidence is not locked unless each writer asks`,
            `add an aws.s3.BucketObjectLockConfiguration with rule.defaultRetention { mode: "COMPLIANCE" or "GOVERNANCE", days or years > 0 }`,
          ),
        });
      }
    }
    return found;
  },
};
