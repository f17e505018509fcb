import type * as aws from "@pulumi/aws";
import { fields } from "../fields";
import type { ReplacementRule, UpstreamSource } from "../types";

/**
 * hashicorp/terraform-provider-aws (v6 line), bridged by @pulumi/aws 7.x. The pulumi-aws and
 * terraform-provider-aws snapshots exceed what can be fetched here, so the tag pulumi-aws 7.48.0 pins was not
 * read; each entry names the commit of the file that was read (from the public code index), or says it was
 * taken from the same file's schema without a stored copy at hand. Re-check on a provider major bump.
 */
const upstream = (file: string, symbol: string, ref: string, note?: string): UpstreamSource => ({
  repository: "hashicorp/terraform-provider-aws",
  ref,
  file,
  symbol,
  note:
    note ??
    "file read at this commit of the public index; the exact tag bridged by @pulumi/aws 7.48.0 was not available",
});
const NOT_READ = "v6 (schema of the same file)";
const notRead = "not re-read here: ForceNew attributes as in this file's schema on the v6 line; verify on upgrade";

/** Terraform AWS v6 manages every resource in one region; a different `region` is a new resource there. */
const region = "region";

export const AWS_RULES: readonly ReplacementRule[] = [
  {
    type: "aws:rds/instance:Instance",
    forceNew: [
      ...fields<aws.rds.InstanceArgs>(
        "identifier",
        "identifierPrefix",
        "engine",
        "kmsKeyId",
        "storageEncrypted",
        "username",
        "dbName",
        "availabilityZone",
        "characterSetName",
        "ncharCharacterSetName",
        "customIamInstanceProfile",
        "timezone",
        "snapshotIdentifier",
        "restoreToPointInTime",
        "region",
      ),
      "s3Import.bucketName",
      "s3Import.bucketPrefix",
      "s3Import.ingestionRole",
      "s3Import.sourceEngine",
      "s3Import.sourceEngineVersion",
    ],
    source: upstream(
      "internal/service/rds/instance.go",
      "ResourceInstance Schema (ForceNew)",
      "00e4b23838859616dd0ebc9d1fd9364c0f6bff22",
    ),
  },
  {
    type: "aws:rds/parameterGroup:ParameterGroup",
    // `parameters` update in place (ModifyDBParameterGroup / ResetDBParameterGroup).
    forceNew: fields<aws.rds.ParameterGroupArgs>("name", "namePrefix", "family", "description", region),
    source: upstream(
      "internal/service/rds/parameter_group.go",
      "resourceParameterGroup Schema (ForceNew)",
      "01606926a0c0ab9174aec440f976a48b0baee722",
    ),
  },
  {
    type: "aws:rds/subnetGroup:SubnetGroup",
    forceNew: fields<aws.rds.SubnetGroupArgs>("name", "namePrefix", region),
    source: upstream(
      "internal/service/rds/subnet_group.go",
      "resourceSubnetGroup Schema (ForceNew)",
      "01c08000ddb14181b5bd19201d8fca311dc570e4",
    ),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    forceNew: fields<aws.elasticache.ReplicationGroupArgs>(
      "replicationGroupId",
      "atRestEncryptionEnabled",
      "dataTieringEnabled",
      "globalReplicationGroupId",
      "kmsKeyId",
      "networkType",
      "port",
      "securityGroupNames",
      "snapshotArns",
      "snapshotName",
      "subnetGroupName",
      region,
    ),
    forceNewWhen: [
      // customizeDiffEngineVersionForceNewOnDowngrade, customizeDiffEngineForceNewOnDowngrade
      { path: "engineVersion", when: "downgrade" },
    ],
    stateDependent: [
      {
        path: "transitEncryptionEnabled",
        reason: "replaces the group when its running engine is older than Redis 7.0.5 (CustomizeDiff ForceNewIf)",
      },
      {
        path: "nodeGroupConfigurations",
        reason: "replaces the group on a significant node-group change (CustomizeDiff ForceNewIf)",
      },
      { path: "engine", reason: "replaces the group when the engine goes back from valkey to redis" },
    ],
    source: upstream(
      "internal/service/elasticache/replication_group.go",
      "resourceReplicationGroup Schema (ForceNew) and CustomizeDiff",
      "001b6364c1a3b3045e152f655440a6d47eb44a70",
    ),
  },
  {
    type: "aws:elasticache/parameterGroup:ParameterGroup",
    forceNew: fields<aws.elasticache.ParameterGroupArgs>("name", "family", "description", region),
    source: upstream(
      "internal/service/elasticache/parameter_group.go",
      "resourceParameterGroup Schema (ForceNew)",
      NOT_READ,
      notRead,
    ),
  },
  {
    type: "aws:elasticache/subnetGroup:SubnetGroup",
    forceNew: fields<aws.elasticache.SubnetGroupArgs>("name", region),
    source: upstream(
      "internal/service/elasticache/subnet_group.go",
      "resourceSubnetGroup Schema (ForceNew)",
      "01c08000ddb14181b5bd19201d8fca311dc570e4",
    ),
  },
  {
    type: "aws:elasticache/user:User",
    // access string, passwords and authentication mode are ModifyUser updates.
    forceNew: fields<aws.elasticache.UserArgs>("userId", "userName", region),
    source: upstream(
      "internal/service/elasticache/user.go",
      "resourceUser Schema (ForceNew)",
      "01f431114674c27cf790fafb67ac274bf8f765e1",
    ),
  },
  {
    type: "aws:elasticache/userGroup:UserGroup",
    // userIds update in place (ModifyUserGroup UserIdsToAdd / UserIdsToRemove).
    forceNew: fields<aws.elasticache.UserGroupArgs>("engine", "userGroupId", region),
    source: upstream(
      "internal/service/elasticache/user_group.go",
      "ResourceUserGroup Schema (ForceNew)",
      "06739b22cee5cb2a12cc0ca4458e3f84767869af",
    ),
  },
  {
    type: "aws:iam/policy:Policy",
    // The document updates in place (CreatePolicyVersion + SetDefaultPolicyVersion).
    forceNew: fields<aws.iam.PolicyArgs>("name", "namePrefix", "path", "description"),
    source: upstream(
      "internal/service/iam/policy.go",
      "resourcePolicy Schema (ForceNew)",
      "01ccd9a2d118a3e81a9649759bf14303526dc9e6",
    ),
  },
  {
    type: "aws:s3/bucket:Bucket",
    forceNew: fields<aws.s3.BucketArgs>("bucket", "bucketPrefix", "objectLockEnabled", region),
    source: upstream("internal/service/s3/bucket.go", "resourceBucket Schema (ForceNew)", NOT_READ, notRead),
  },
  {
    type: "aws:s3/bucketPolicy:BucketPolicy",
    forceNew: fields<aws.s3.BucketPolicyArgs>("bucket", region),
    source: upstream(
      "internal/service/s3/bucket_policy.go",
      "resourceBucketPolicy Schema (ForceNew)",
      NOT_READ,
      notRead,
    ),
  },
  {
    type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    forceNew: fields<aws.s3.BucketPublicAccessBlockArgs>("bucket", region),
    source: upstream(
      "internal/service/s3/bucket_public_access_block.go",
      "resourceBucketPublicAccessBlock Schema (ForceNew)",
      NOT_READ,
      notRead,
    ),
  },
  {
    type: "aws:s3/bucketVersioning:BucketVersioning",
    forceNew: fields<aws.s3.BucketVersioningArgs>("bucket", "expectedBucketOwner", region),
    source: upstream(
      "internal/service/s3/bucket_versioning.go",
      "resourceBucketVersioning Schema (ForceNew)",
      NOT_READ,
      notRead,
    ),
  },
  {
    type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    forceNew: fields<aws.s3.BucketLifecycleConfigurationArgs>("bucket", "expectedBucketOwner", region),
    source: upstream(
      "internal/service/s3/bucket_lifecycle_configuration.go",
      "bucketLifecycleConfigurationResource Schema (RequiresReplace)",
      NOT_READ,
      notRead,
    ),
  },
  {
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    forceNew: fields<aws.s3.BucketServerSideEncryptionConfigurationArgs>("bucket", "expectedBucketOwner", region),
    source: upstream(
      "internal/service/s3/bucket_server_side_encryption_configuration.go",
      "resourceBucketServerSideEncryptionConfiguration Schema (ForceNew)",
      NOT_READ,
      notRead,
    ),
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    forceNew: fields<aws.ec2.SecurityGroupArgs>("name", "namePrefix", "description", "vpcId", region),
    source: upstream(
      "internal/service/ec2/vpc_security_group.go",
      "resourceSecurityGroup Schema (ForceNew)",
      NOT_READ,
      notRead,
    ),
  },
  {
    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    // The rule's own attributes (ports, protocol, source, description) modify the rule in place.
    forceNew: fields<aws.vpc.SecurityGroupIngressRuleArgs>("securityGroupId", region),
    source: upstream(
      "internal/service/ec2/vpc_security_group_ingress_rule.go",
      "securityGroupRuleResource Schema (RequiresReplace)",
      NOT_READ,
      notRead,
    ),
  },
];
