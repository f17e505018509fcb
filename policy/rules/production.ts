import type { InstanceArgs as RdsInstanceArgs } from "@pulumi/aws/rds/instance";
import type { ReplicationGroupArgs } from "@pulumi/aws/elasticache/replicationGroup";
import type { BucketArgs } from "@pulumi/aws/s3/bucket";
import { violation, type ResourceRule, type StackContext } from "../model";
import { prop, S3_BUCKET_TYPES, STATEFUL_TYPES, T } from "../resourceTypes";
import { isTrue, shown } from "../values";

/** On production stacks nothing that holds data can be deleted by one mistaken `pulumi up` or `destroy`. */

const onProduction = (ctx: StackContext) => (ctx.production ? "mandatory" : "disabled");

const DELETION_PROTECTION = prop<RdsInstanceArgs>("deletionProtection");
const SKIP_FINAL_SNAPSHOT = prop<RdsInstanceArgs>("skipFinalSnapshot");
const FINAL_SNAPSHOT = prop<ReplicationGroupArgs>("finalSnapshotIdentifier");
const FORCE_DESTROY = prop<BucketArgs>("forceDestroy");

export const productionDeletionProtection: ResourceRule = {
  kind: "resource",
  name: "production-deletion-protection",
  description:
    "On production stacks, databases have deletion protection and a final snapshot, caches a final snapshot, and buckets cannot be force-destroyed.",
  remediation:
    "Set deletionProtection: true and skipFinalSnapshot: false on RDS, finalSnapshotIdentifier on ElastiCache, and never forceDestroy on buckets.",
  severity: "high",
  level: onProduction,
  uses: ["production"],
  types: [T.rdsInstance, T.rdsCluster, T.elastiCacheReplicationGroup, ...S3_BUCKET_TYPES],
  check(r, ctx) {
    if (!ctx.production) return [];
    const problems: string[] = [];
    if (r.type === T.rdsInstance || r.type === T.rdsCluster) {
      if (!isTrue(r.props[DELETION_PROTECTION])) {
        problems.push(
          violation(
            `${DELETION_PROTECTION} is ${shown(r.props[DELETION_PROTECTION])} on a production database`,
            `set aws.postgres.deletionProtection: true (RDS then refuses to delete it until someone turns it off on purpose)`,
          ),
        );
      }
      if (isTrue(r.props[SKIP_FINAL_SNAPSHOT])) {
        problems.push(
          violation(
            `${SKIP_FINAL_SNAPSHOT} is true: deleting the production database would keep no final snapshot`,
            `set aws.postgres.skipFinalSnapshot: false`,
          ),
        );
      }
    } else if (r.type === T.elastiCacheReplicationGroup) {
      if (r.props[FINAL_SNAPSHOT] === undefined || r.props[FINAL_SNAPSHOT] === "") {
        problems.push(
          violation(
            `replication group ${r.name} has no ${FINAL_SNAPSHOT}: deleting it would keep no snapshot of the production cache`,
            `set ${FINAL_SNAPSHOT}`,
          ),
        );
      }
    } else if (isTrue(r.props[FORCE_DESTROY])) {
      problems.push(
        violation(
          `bucket ${r.name} has ${FORCE_DESTROY}: true, so deleting it also deletes every object in it`,
          `remove ${FORCE_DESTROY} on production buckets`,
        ),
      );
    }
    return problems;
  },
};

export const productionStatefulProtect: ResourceRule = {
  kind: "resource",
  name: "production-stateful-protect",
  description:
    "On production stacks every data-bearing resource (volume, database, cache, bucket, CloudNativePG cluster, PVC) has the `protect` resource option.",
  remediation:
    "Keep stellaops-infra:protect true on production stacks (components pass it through statefulResourceOptions).",
  severity: "high",
  level: onProduction,
  uses: ["production"],
  types: STATEFUL_TYPES,
  check(r, ctx) {
    if (!ctx.production || r.protect) return [];
    return [
      violation(
        `${r.type} ${r.name} is not protected: a destroy or a replacing edit would delete its data`,
        `set stellaops-infra:protect: true in the stack config (components apply it with statefulResourceOptions)`,
      ),
    ];
  },
};
