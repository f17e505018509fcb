import type { ParameterGroupArgs as RdsParameterGroupArgs } from "@pulumi/aws/rds/parameterGroup";
import type { InstanceArgs as RdsInstanceArgs } from "@pulumi/aws/rds/instance";
import type { ReplicationGroupArgs } from "@pulumi/aws/elasticache/replicationGroup";
import type { BucketArgs } from "@pulumi/aws/s3/bucket";
import type { BucketPolicyArgs } from "@pulumi/aws/s3/bucketPolicy";
import type { BucketServerSideEncryptionConfigurationArgs } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
import { configsOf, isAwsS3, isBucket } from "../buckets";
import { always, violation, type AuditResource, type ResourceRule, type StackRule, type Violation } from "../model";
import { prop, S3_ENCRYPTION_TYPES, T } from "../resourceTypes";
import { asList, asRecord, asString, decodeJson, isKnown, isPending, isPlanUnknown, isTrue, shown } from "../values";

/** Encryption at rest and in transit on the managed services (RDS, ElastiCache, S3). */

const STORAGE_ENCRYPTED = prop<RdsInstanceArgs>("storageEncrypted");

export const rdsStorageEncrypted: ResourceRule = {
  kind: "resource",
  name: "rds-storage-encrypted",
  description: "RDS instances and clusters encrypt their storage, snapshots and backups at rest.",
  remediation:
    "Set storageEncrypted: true (kmsKeyId from aws.kmsKeyArn). Encryption is chosen at creation: migrate an existing unencrypted database through an encrypted snapshot copy.",
  severity: "high",
  level: always("mandatory"),
  uses: [],
  types: [T.rdsInstance, T.rdsCluster],
  check(r) {
    const value = r.props[STORAGE_ENCRYPTED];
    if (isTrue(value) || isPending(value)) return [];
    return [
      violation(
        `${STORAGE_ENCRYPTED} is ${shown(value)}: the database, its snapshots and backups would be stored unencrypted`,
        `set ${STORAGE_ENCRYPTED}: true (and kmsKeyId from aws.kmsKeyArn); an existing instance is migrated by restoring an encrypted snapshot copy`,
      ),
    ];
  },
};

const AT_REST = prop<ReplicationGroupArgs>("atRestEncryptionEnabled");
const IN_TRANSIT = prop<ReplicationGroupArgs>("transitEncryptionEnabled");
const TRANSIT_MODE = prop<ReplicationGroupArgs>("transitEncryptionMode");

export const elastiCacheEncryptedAtRest: ResourceRule = {
  kind: "resource",
  name: "elasticache-encrypted-at-rest",
  description: "ElastiCache replication groups encrypt data at rest (disk, snapshots).",
  remediation: "Set atRestEncryptionEnabled: true (kmsKeyId from aws.kmsKeyArn); it forces a new replication group.",
  severity: "high",
  level: always("mandatory"),
  uses: [],
  types: [T.elastiCacheReplicationGroup],
  check(r) {
    const value = r.props[AT_REST];
    if (isTrue(value) || isPending(value)) return [];
    return [
      violation(
        `${AT_REST} is ${shown(value)}: Valkey snapshots and swap would be stored unencrypted`,
        `set ${AT_REST}: true (kmsKeyId from aws.kmsKeyArn); ElastiCache creates a new replication group for it`,
      ),
    ];
  },
};

export const elastiCacheEncryptedInTransit: ResourceRule = {
  kind: "resource",
  name: "elasticache-encrypted-in-transit",
  description: "ElastiCache replication groups accept TLS connections only.",
  remediation: 'Set transitEncryptionEnabled: true and transitEncryptionMode: "required" (clients use ssl=true).',
  severity: "high",
  level: always("mandatory"),
  uses: [],
  types: [T.elastiCacheReplicationGroup],
  check(r) {
    const enabled = r.props[IN_TRANSIT];
    const mode = r.props[TRANSIT_MODE];
    if (!isTrue(enabled) && !isPending(enabled)) {
      return [
        violation(
          `${IN_TRANSIT} is ${shown(enabled)}: Valkey passwords and data would cross the network in plaintext`,
          `set ${IN_TRANSIT}: true and ${TRANSIT_MODE}: "required"; StellaOps connects with ssl=true`,
        ),
      ];
    }
    if (mode === "preferred") {
      return [
        violation(
          `${TRANSIT_MODE} is "preferred": the server still accepts plaintext connections`,
          `set ${TRANSIT_MODE}: "required" once every client connects with ssl=true`,
        ),
      ];
    }
    return [];
  },
};

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];
const SSE_RULES = prop<BucketServerSideEncryptionConfigurationArgs>("rules");
const INLINE_SSE = prop<BucketArgs>("serverSideEncryptionConfiguration");

/** The default-encryption algorithms a configuration sets (unknown values count as set). */
function sseAlgorithms(rules: unknown): string[] {
  return asList(rules).map((rule) => {
    const algorithm = asRecord(asRecord(rule)["applyServerSideEncryptionByDefault"])["sseAlgorithm"];
    return isKnown(algorithm) ? String(algorithm) : "AES256";
  });
}

function hasDefaultEncryption(bucket: AuditResource, resources: readonly AuditResource[]): boolean {
  // The deprecated inline form holds a single `rule`.
  const inlineRule = asRecord(bucket.props[INLINE_SSE])["rule"];
  const inline = inlineRule !== undefined ? sseAlgorithms([inlineRule]) : [];
  const separate = configsOf(bucket, resources, S3_ENCRYPTION_TYPES).flatMap((c) => sseAlgorithms(c.props[SSE_RULES]));
  const algorithms = [...inline, ...separate];
  return algorithms.length > 0 && algorithms.every((a) => SSE_ALGORITHMS.includes(a));
}

export const s3DefaultEncryption: StackRule = {
  kind: "stack",
  name: "s3-default-encryption",
  description: "Every S3 bucket has an explicit default-encryption configuration (SSE-S3 or SSE-KMS).",
  remediation:
    "Give each bucket an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm AES256 or aws:kms (kmsMasterKeyId from aws.kmsKeyArn).",
  severity: "high",
  level: always("mandatory"),
  uses: [],
  check(resources) {
    return resources
      .filter((r) => isBucket(r) && isAwsS3(r) && !hasDefaultEncryption(r, resources))
      .map((bucket) => ({
        urn: bucket.urn,
        message: violation(
          `bucket ${bucket.name} has no default-encryption configuration with ${SSE_ALGORITHMS.join(", ")}`,
          `add an aws.s3.BucketServerSideEncryptionConfiguration for it with sseAlgorithm "aws:kms" (kmsMasterKeyId from aws.kmsKeyArn) or "AES256"`,
        ),
      }));
  },
};

const POLICY = prop<BucketPolicyArgs>("policy");

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

function asStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function isEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  return asStrings(asRecord(principal)["AWS"]).includes("*");
}

/** A statement that denies every S3 action on the bucket's objects to anyone not using TLS. */
export function deniesInsecureTransport(statement: Statement): boolean {
  if (statement.Effect !== "Deny" || !isEveryone(statement.Principal)) return false;
  if (!asStrings(statement.Action).some((a) => a === "s3:*" || a === "*")) return false;
  const secureTransport = asRecord(asRecord(statement.Condition)["Bool"])["aws:SecureTransport"];
  if (!asStrings(secureTransport).includes("false") && secureTransport !== false) return false;
  const resources = asStrings(statement.Resource);
  return resources.length === 0 || resources.some((res) => res === "*" || res.endsWith("/*"));
}

/** Statements of a policy document given as JSON text or as an object; undefined when it cannot be read. */
export function policyStatements(policy: unknown): Statement[] | undefined {
  if (!isKnown(policy)) return undefined;
  const doc = asRecord(decodeJson(policy));
  const statements = doc["Statement"];
  if (Array.isArray(statements)) return statements.map((s) => asRecord(s) as Statement);
  if (statements && typeof statements === "object") return [statements as Statement];
  return [];
}

export const s3TlsOnly: StackRule = {
  kind: "stack",
  name: "s3-tls-only",
  description: "Every S3 bucket's policy denies requests that do not use TLS (aws:SecureTransport false).",
  remediation:
    'Attach an aws.s3.BucketPolicy with a Deny statement for Principal "*", Action "s3:*", on the bucket and "<bucket ARN>/*", when Bool aws:SecureTransport is "false".',
  severity: "high",
  level: always("mandatory"),
  uses: [],
  check(resources) {
    const found: Violation[] = [];
    for (const bucket of resources.filter((r) => isBucket(r) && isAwsS3(r))) {
      const policies = [
        bucket.props[POLICY],
        ...configsOf(bucket, resources, [T.s3BucketPolicy]).map((p) => p.props[POLICY]),
      ].filter((p) => p !== undefined);
      if (policies.some(isPlanUnknown)) {
        found.push({
          urn: bucket.urn,
          message: violation(
            `bucket ${bucket.name}'s policy is unknown until apply, so it cannot be shown to deny plain HTTP`,
            "build the policy from values known before apply (on AWS a bucket's ARN follows from its name)",
          ),
        });
        continue;
      }
      const documents = policies.map(policyStatements);
      // A policy not known yet (built from outputs during preview) cannot be judged here; the offline plan can.
      if (documents.some((d) => d === undefined)) continue;
      if (documents.some((statements) => (statements ?? []).some(deniesInsecureTransport))) continue;
      found.push({
        urn: bucket.urn,
        message: violation(
          `bucket ${bucket.name} accepts plain-HTTP requests: no bucket policy denies aws:SecureTransport "false"`,
          `add a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } } to its aws.s3.BucketPolicy`,
        ),
      });
    }
    return found;
  },
};

const PARAMETER_GROUP_NAME = prop<RdsInstanceArgs>("parameterGroupName");
const ENGINE_VERSION = prop<RdsInstanceArgs>("engineVersion");
const PG_FAMILY = prop<RdsParameterGroupArgs>("family");
const PG_PARAMETERS = prop<RdsParameterGroupArgs>("parameters");
/** RDS for PostgreSQL 15 and later default rds.force_ssl to 1; older majors default to 0. */
const FORCE_SSL_DEFAULT_FROM_MAJOR = 15;

function majorVersion(instance: AuditResource, group?: AuditResource): number | undefined {
  const version = asString(instance.props[ENGINE_VERSION]);
  if (version && /^\d+/.test(version)) return Number(/^\d+/.exec(version)?.[0]);
  const family = group ? asString(group.props[PG_FAMILY]) : undefined;
  const match = family ? /^postgres(\d+)$/.exec(family) : null;
  return match ? Number(match[1]) : undefined;
}

function forceSslSetting(group: AuditResource): string | undefined {
  const parameter = asList(group.props[PG_PARAMETERS])
    .map(asRecord)
    .filter((p) => p["name"] === "rds.force_ssl")
    .pop();
  return parameter && isKnown(parameter["value"]) ? String(parameter["value"]) : undefined;
}

export const rdsForceSsl: StackRule = {
  kind: "stack",
  name: "rds-force-ssl",
  description: "RDS for PostgreSQL refuses non-TLS connections (rds.force_ssl = 1 in its parameter group).",
  remediation:
    'Give the instance a parameter group this stack owns with { name: "rds.force_ssl", value: "1" } (the default from PostgreSQL 15 on; never "0").',
  severity: "high",
  level: always("mandatory"),
  uses: [],
  check(resources) {
    const found: Violation[] = [];
    const groups = resources.filter((r) => r.type === T.rdsParameterGroup);
    for (const instance of resources.filter((r) => r.type === T.rdsInstance && r.props["engine"] === "postgres")) {
      const groupName = instance.props[PARAMETER_GROUP_NAME];
      const group = groups.find(
        (g) => (isKnown(groupName) && g.props["name"] === groupName) || instance.dependencies.includes(g.urn),
      );
      const setting = group ? forceSslSetting(group) : undefined;
      const major = majorVersion(instance, group);
      const defaultsOn = major !== undefined && major >= FORCE_SSL_DEFAULT_FROM_MAJOR;
      const ownedOrDefault = group !== undefined || groupName === undefined || String(groupName).startsWith("default.");
      let problem: string | undefined;
      if (setting === "0") problem = `its parameter group ${group?.name} sets rds.force_ssl to 0`;
      else if (setting === undefined && !defaultsOn)
        problem = ownedOrDefault
          ? `PostgreSQL ${major ?? "(unknown major)"} defaults rds.force_ssl to 0 and no parameter group of this stack sets it`
          : `its parameter group ${String(groupName)} is not part of this stack, so rds.force_ssl cannot be verified`;
      if (problem) {
        found.push({
          urn: instance.urn,
          message: violation(
            `RDS instance ${instance.name} accepts plaintext connections: ${problem}`,
            'set { name: "rds.force_ssl", value: "1" } in an aws.rds.ParameterGroup this stack owns and use it as parameterGroupName',
          ),
        });
      }
    }
    return found;
  },
};
