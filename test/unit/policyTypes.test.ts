import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as postgresql from "@pulumi/postgresql";
import { describe, expect, it } from "vitest";
import { K8S_WORKLOAD_TYPES, T } from "../../policy/resourceTypes";

/**
 * The rules key on type tokens; a token that does not match what the SDK registers would make a rule silently
 * judge nothing. Each token is compared with the installed SDK class's own `__pulumiType`.
 */

type WithToken = { __pulumiType: string };
const token = (cls: unknown) => (cls as WithToken).__pulumiType;

const SDK_CLASSES: Record<Exclude<keyof typeof T, "cnpgCluster" | "awsProvider">, unknown> = {
  rdsInstance: aws.rds.Instance,
  rdsCluster: aws.rds.Cluster,
  rdsClusterInstance: aws.rds.ClusterInstance,
  rdsParameterGroup: aws.rds.ParameterGroup,
  elastiCacheReplicationGroup: aws.elasticache.ReplicationGroup,
  elastiCacheParameterGroup: aws.elasticache.ParameterGroup,
  s3Bucket: aws.s3.Bucket,
  s3BucketV2: aws.s3.BucketV2,
  s3Encryption: aws.s3.BucketServerSideEncryptionConfiguration,
  s3EncryptionV2: aws.s3.BucketServerSideEncryptionConfigurationV2,
  s3PublicAccessBlock: aws.s3.BucketPublicAccessBlock,
  s3BucketPolicy: aws.s3.BucketPolicy,
  s3ObjectLock: aws.s3.BucketObjectLockConfiguration,
  s3ObjectLockV2: aws.s3.BucketObjectLockConfigurationV2,
  dockerContainer: docker.Container,
  dockerRemoteImage: docker.RemoteImage,
  dockerVolume: docker.Volume,
  helmRelease: k8s.helm.v3.Release,
  pvc: k8s.core.v1.PersistentVolumeClaim,
  postgresqlDatabase: postgresql.Database,
};

describe("policy type tokens", () => {
  it.each(Object.entries(SDK_CLASSES))("%s matches the SDK's registered type", (key, cls) => {
    expect(T[key as keyof typeof T]).toBe(token(cls));
  });

  it("names Kubernetes workloads as the SDK registers them", () => {
    const classes = [
      k8s.core.v1.Pod,
      k8s.apps.v1.Deployment,
      k8s.apps.v1.StatefulSet,
      k8s.apps.v1.DaemonSet,
      k8s.batch.v1.Job,
      k8s.batch.v1.CronJob,
    ];
    expect([...K8S_WORKLOAD_TYPES].sort()).toEqual(classes.map(token).sort());
  });

  it("names the CloudNativePG Cluster the way a CustomResource registers it, and the aws provider by package", () => {
    expect(T.cnpgCluster).toBe("kubernetes:postgresql.cnpg.io/v1:Cluster");
    expect(T.awsProvider).toBe(`pulumi:providers:${token(aws.Provider)}`);
  });
});
