import * as aws from "../components/sdk/aws";
import * as docker from "@pulumi/docker";
import * as k8s from "../components/sdk/kubernetes";
import { statefulResourceOptions, type StatefulOptions } from "../components/contract";
import type { AwsPlatform, DockerPlatform, ExternalPlatform, KubernetesPlatform } from "../components/platform";
import type { InfraConfig } from "./config";

/** Builds each profile's provider and shared plumbing from the validated config (the platform contexts). */

type ConfigOf<P extends InfraConfig["profile"]> = Extract<InfraConfig, { profile: P }>;

export function statefulOf(cfg: InfraConfig): StatefulOptions {
  return { protect: cfg.protect, retainOnDelete: cfg.retainOnDelete };
}

export function standardLabels(cfg: InfraConfig): Record<string, string> {
  return { "app.kubernetes.io/part-of": "stellaops", "stellaops.io/environment": cfg.environmentName };
}

export function dockerPlatform(cfg: ConfigOf<"docker">): DockerPlatform {
  const namePrefix = `stellaops-${cfg.environmentName}`;
  const labels = { ...standardLabels(cfg), ...cfg.docker.labels };
  const provider = new docker.Provider("docker", {
    host: cfg.docker.host,
    sshOpts: cfg.docker.sshOpts.length > 0 ? cfg.docker.sshOpts : undefined,
  });
  const network = new docker.Network(
    "network",
    {
      name: namePrefix,
      driver: "bridge",
      labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
    },
    // Every network input forces a new network (kreuzwerker/terraform-provider-docker @ v4.5.0, the upstream of
    // @pulumi/docker 5.x: internal/provider/resource_docker_network.go), and its name is fixed: a label edit would
    // replace it, the create would clash with the existing name, and the old one cannot go while containers use
    // it. Labels are set at creation only, as on the volumes.
    { provider, ignoreChanges: ["labels"] },
  );
  return {
    kind: "docker",
    provider,
    network,
    bindAddress: cfg.docker.bindAddress,
    // Ports bound to every interface are still reachable on loopback.
    adminAddress:
      cfg.docker.adminAddress ?? (cfg.docker.bindAddress === "0.0.0.0" ? "127.0.0.1" : cfg.docker.bindAddress),
    namePrefix,
    labels,
    logs: cfg.docker.logs,
    stateful: statefulOf(cfg),
  };
}

/**
 * The Namespace's logical name carries the namespace's name: Kubernetes cannot rename a namespace, so a new
 * `kubernetes.namespace` is a new Namespace (new, empty servers in it), and the plan shows it as one added and
 * one removed (retained, or refused while protected), not as an edit of a field.
 */
export function namespaceResourceName(namespace: string): string {
  return `namespace-${namespace}`;
}

export function kubernetesPlatform(cfg: ConfigOf<"kubernetes">): KubernetesPlatform {
  const labels = { ...standardLabels(cfg), ...cfg.kubernetes.labels };
  const provider = new k8s.Provider("kubernetes", {
    kubeconfig: cfg.kubernetes.kubeconfig,
    context: cfg.kubernetes.context,
    // Resources name their namespace explicitly; nothing lands in `default` by accident.
    namespace: cfg.kubernetes.namespace,
  });
  const namespace = new k8s.core.v1.Namespace(
    namespaceResourceName(cfg.kubernetes.namespace),
    { metadata: { name: cfg.kubernetes.namespace, labels } },
    {
      provider,
      // Deleting a Namespace deletes everything in it, retained Clusters, PVCs and releases included, so it
      // carries the same protect/retainOnDelete as the data it holds.
      ...statefulResourceOptions(statefulOf(cfg)),
      // Stacks planned before the logical name carried the namespace keep their Namespace.
      aliases: [{ name: "namespace" }],
    },
  );
  return {
    kind: "kubernetes",
    provider,
    namespace: namespace.metadata.name,
    namespaceName: cfg.kubernetes.namespace,
    storageClass: cfg.kubernetes.storageClass,
    imagePullSecrets: cfg.kubernetes.imagePullSecrets,
    labels,
    stateful: statefulOf(cfg),
  };
}

export function awsPlatform(cfg: ConfigOf<"aws">): AwsPlatform {
  const tags = { "stellaops:environment": cfg.environmentName, "stellaops:managed-by": "pulumi", ...cfg.aws.tags };
  const provider = new aws.Provider("aws", { region: cfg.aws.region as aws.Region, defaultTags: { tags } });
  return {
    kind: "aws",
    provider,
    namePrefix: `stellaops-${cfg.environmentName}`,
    vpcId: cfg.aws.vpcId,
    subnetIds: cfg.aws.subnetIds,
    allowedSecurityGroupIds: cfg.aws.allowedSecurityGroupIds,
    allowedCidrs: cfg.aws.allowedCidrs,
    kmsKeyArn: cfg.aws.kmsKeyArn,
    tags,
    stateful: statefulOf(cfg),
  };
}

export function externalPlatform(cfg: ConfigOf<"external">): ExternalPlatform {
  return { kind: "external", stateful: statefulOf(cfg) };
}
