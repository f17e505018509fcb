import type * as aws from "./sdk/aws";
import type * as docker from "@pulumi/docker";
import type * as k8s from "./sdk/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { DockerLogSettings } from "./docker/logs";
import type { ChartSource } from "./settingsCommon";
import type { StatefulOptions } from "./contract";

/**
 * What a profile hands each server component: the platform's provider and shared plumbing, already built.
 * Plain values (not Outputs) wherever they decide resource shapes, so previews show every resource.
 */

export interface DockerPlatform {
  readonly kind: "docker";
  readonly provider: docker.Provider;
  /** The one user-defined network every StellaOps container joins. */
  readonly network: docker.Network;
  /** Host address published ports bind to (default 127.0.0.1: nothing public unless config says so). */
  readonly bindAddress: string;
  /** Address this program's admin providers (PostgreSQL, S3) use to reach published ports. */
  readonly adminAddress: string;
  /** Prefix for container and volume names on the host, e.g. "stellaops-dev". */
  readonly namePrefix: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Log driver and rotation of every container (`docker.logs`). */
  readonly logs: DockerLogSettings;
  readonly stateful: StatefulOptions;
}

export interface KubernetesPlatform {
  readonly kind: "kubernetes";
  readonly provider: k8s.Provider;
  readonly namespace: pulumi.Output<string>;
  /** Plain namespace name for in-cluster DNS names (`<svc>.<namespace>.svc`). */
  readonly namespaceName: string;
  readonly storageClass?: string;
  /** Image pull secrets for a private mirror. */
  readonly imagePullSecrets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly stateful: StatefulOptions;
}

export interface AwsPlatform {
  readonly kind: "aws";
  readonly provider: aws.Provider;
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Security groups whose members may connect to the data services. */
  readonly allowedSecurityGroupIds: readonly string[];
  /** CIDR blocks that may connect to the data services. */
  readonly allowedCidrs: readonly string[];
  /** Customer-managed KMS key for encryption at rest; AWS-managed keys when absent. */
  readonly kmsKeyArn?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly stateful: StatefulOptions;
}

export interface ExternalPlatform {
  readonly kind: "external";
  readonly stateful: StatefulOptions;
}

/** Helm chart reference resolved from a ChartSource (repository URL, oci:// mirror or vendored file). */
export function helmChartArgs(source: ChartSource): {
  chart: string;
  version: string;
  repositoryOpts?: { repo: string };
} {
  if (source.path !== undefined) return { chart: source.path, version: source.version };
  const repo = source.repository as string;
  if (repo.startsWith("oci://"))
    return { chart: `${repo.replace(/\/$/, "")}/${source.chart}`, version: source.version };
  return { chart: source.chart, version: source.version, repositoryOpts: { repo } };
}
