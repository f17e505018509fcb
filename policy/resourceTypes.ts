/**
 * Resource type tokens the rules judge, exactly as the installed provider SDKs register them (each class's
 * `__pulumiType`; test/unit/policyTypes.test.ts checks every one against the SDK). Property names are checked
 * at compile time with `prop<Args>()`.
 */

export const T = {
  rdsInstance: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  elastiCacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
  elastiCacheParameterGroup: "aws:elasticache/parameterGroup:ParameterGroup",
  s3Bucket: "aws:s3/bucket:Bucket",
  s3BucketV2: "aws:s3/bucketV2:BucketV2",
  s3Encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  s3EncryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  s3BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  s3ObjectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  s3ObjectLockV2: "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
  dockerContainer: "docker:index/container:Container",
  dockerRemoteImage: "docker:index/remoteImage:RemoteImage",
  dockerVolume: "docker:index/volume:Volume",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  cnpgCluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
  postgresqlDatabase: "postgresql:index/database:Database",
  awsProvider: "pulumi:providers:aws",
} as const;

export const S3_BUCKET_TYPES: readonly string[] = [T.s3Bucket, T.s3BucketV2];
export const S3_ENCRYPTION_TYPES: readonly string[] = [T.s3Encryption, T.s3EncryptionV2];
export const S3_OBJECT_LOCK_TYPES: readonly string[] = [T.s3ObjectLock, T.s3ObjectLockV2];

/** Kubernetes workloads whose pod templates name container images. */
export const K8S_WORKLOAD_TYPES: readonly string[] = [
  "kubernetes:core/v1:Pod",
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:batch/v1:Job",
  "kubernetes:batch/v1:CronJob",
];

/**
 * Data-bearing resources: losing one loses data, so production stacks protect them. Matches the list the
 * whole-stack tests use (test/unit/stacks.test.ts), plus Aurora clusters.
 */
export const STATEFUL_TYPES: readonly string[] = [
  T.dockerVolume,
  T.postgresqlDatabase,
  T.rdsInstance,
  T.rdsCluster,
  T.elastiCacheReplicationGroup,
  T.s3Bucket,
  T.s3BucketV2,
  T.cnpgCluster,
  T.pvc,
];

/** A property name of a provider SDK's args type, checked by the compiler, kept as a plain string at runtime. */
export function prop<Args>(name: keyof Args & string): string {
  return name;
}
