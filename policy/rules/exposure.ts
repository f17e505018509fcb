import type { ContainerArgs } from "@pulumi/docker/container";
import type { InstanceArgs as RdsInstanceArgs } from "@pulumi/aws/rds/instance";
import type { BucketArgs } from "@pulumi/aws/s3/bucket";
import type { BucketPublicAccessBlockArgs } from "@pulumi/aws/s3/bucketPublicAccessBlock";
import { configsOf, isAwsS3, isBucket } from "../buckets";
import { always, violation, type AuditResource, type ResourceRule, type StackRule, type Violation } from "../model";
import { prop, T } from "../resourceTypes";
import { asList, asNumber, asRecord, isPending, isTrue, shown } from "../values";

/** Nothing holding StellaOps data is reachable from the internet or from every interface of a host. */

const PUBLICLY_ACCESSIBLE = prop<RdsInstanceArgs>("publiclyAccessible");

export const rdsNotPublic: ResourceRule = {
  kind: "resource",
  name: "rds-not-public",
  description: "RDS instances have no public IP address (publiclyAccessible false).",
  remediation: "Set publiclyAccessible: false and reach the database from the allowed security groups or CIDRs.",
  severity: "critical",
  level: always("mandatory"),
  uses: [],
  types: [T.rdsInstance, T.rdsClusterInstance],
  check(r) {
    const value = r.props[PUBLICLY_ACCESSIBLE];
    if (!isTrue(value)) return [];
    return [
      violation(
        `${PUBLICLY_ACCESSIBLE} is ${shown(value)}: the database gets a public IP address`,
        `set ${PUBLICLY_ACCESSIBLE}: false; clients connect from aws.allowedSecurityGroupIds / aws.allowedCidrs inside the VPC (or through a tunnel, postgres adminHost)`,
      ),
    ];
  },
};

export const PUBLIC_ACCESS_FLAGS = [
  prop<BucketPublicAccessBlockArgs>("blockPublicAcls"),
  prop<BucketPublicAccessBlockArgs>("blockPublicPolicy"),
  prop<BucketPublicAccessBlockArgs>("ignorePublicAcls"),
  prop<BucketPublicAccessBlockArgs>("restrictPublicBuckets"),
] as const;
const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const ACL = prop<BucketArgs>("acl");

function blocksEverything(block: AuditResource): boolean {
  return PUBLIC_ACCESS_FLAGS.every((flag) => isTrue(block.props[flag]) || isPending(block.props[flag]));
}

export const s3PublicAccessBlocked: StackRule = {
  kind: "stack",
  name: "s3-public-access-blocked",
  description: "Every S3 bucket has a public access block with all four settings true, and no public ACL.",
  remediation:
    "Give each bucket an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true; remove public ACLs.",
  severity: "critical",
  level: always("mandatory"),
  uses: [],
  check(resources) {
    const found: Violation[] = [];
    for (const bucket of resources.filter((r) => isBucket(r) && isAwsS3(r))) {
      const acl = bucket.props[ACL];
      if (typeof acl === "string" && PUBLIC_ACLS.includes(acl)) {
        found.push({
          urn: bucket.urn,
          message: violation(
            `bucket ${bucket.name} has the public ACL "${acl}"`,
            `remove ${ACL} (buckets are private)`,
          ),
        });
      }
      const blocks = configsOf(bucket, resources, [T.s3PublicAccessBlock]);
      if (blocks.some(blocksEverything)) continue;
      const missing =
        blocks.length === 0
          ? "it has no aws.s3.BucketPublicAccessBlock"
          : `its public access block leaves ${PUBLIC_ACCESS_FLAGS.filter((f) => !blocks.some((b) => isTrue(b.props[f]) || isPending(b.props[f]))).join(", ")} off`;
      found.push({
        urn: bucket.urn,
        message: violation(
          `bucket ${bucket.name} can be made public: ${missing}`,
          `give it an aws.s3.BucketPublicAccessBlock with ${PUBLIC_ACCESS_FLAGS.map((f) => `${f}: true`).join(", ")}`,
        ),
      });
    }
    return found;
  },
};

const PORTS = prop<ContainerArgs>("ports");
const NETWORK_MODE = prop<ContainerArgs>("networkMode");
/** What Docker binds when `ip` is empty, plus the explicit every-interface spellings. */
const EVERY_INTERFACE = ["", "0.0.0.0", "::", "[::]"];

export const dockerDataPortsNotPublic: ResourceRule = {
  kind: "resource",
  name: "docker-data-ports-not-public",
  description:
    "Docker containers publish data ports (PostgreSQL, Valkey, S3, NATS) on a chosen address, never on every interface, and do not use host networking.",
  remediation:
    "Publish ports on docker.bindAddress (default 127.0.0.1) or a private address; never 0.0.0.0 or an empty ip; no networkMode host.",
  severity: "critical",
  level: always("mandatory"),
  uses: ["dataPorts"],
  types: [T.dockerContainer],
  check(r, ctx) {
    const problems: string[] = [];
    if (r.props[NETWORK_MODE] === "host") {
      problems.push(
        violation(
          `container ${r.name} uses networkMode "host": every port it listens on is open on every host interface`,
          `use the stack's Docker network and publish only the ports needed, on docker.bindAddress`,
        ),
      );
    }
    for (const entry of asList(r.props[PORTS]).map(asRecord)) {
      const internal = asNumber(entry["internal"]);
      const external = asNumber(entry["external"]);
      const isData = [internal, external].some((p) => p !== undefined && ctx.dataPorts.includes(p));
      const ip = entry["ip"] === undefined ? "" : entry["ip"];
      if (!isData || typeof ip !== "string" || !EVERY_INTERFACE.includes(ip)) continue;
      problems.push(
        violation(
          `container ${r.name} publishes data port ${internal ?? "?"} (host ${external ?? "random"}) on ${ip === "" ? "every interface (empty ip)" : ip}`,
          `set docker.bindAddress to 127.0.0.1 or a private address of the host; put a TLS-terminating proxy or firewall in front if other hosts must connect`,
        ),
      );
    }
    return problems;
  },
};
