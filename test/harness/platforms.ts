import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dockerLogSettings } from "../../components/docker/logs";
import type { AwsPlatform, DockerPlatform, KubernetesPlatform } from "../../components/platform";

// One fixture for the Docker/Kubernetes/AWS platforms unit tests build with real provider resources, instead of a copy per file.

type DockerPlatformOverrides = Partial<Omit<DockerPlatform, "kind" | "provider" | "network">> & {
  /** Logical (Pulumi) name of the docker.Network resource. */
  networkResourceName?: string;
  /** Name of the network on the Docker host. */
  networkName?: string;
};

/** A DockerPlatform on a real docker.Provider "docker" and docker.Network (default "stellaops-dev" both). */
export function testDockerPlatform(overrides: DockerPlatformOverrides = {}): DockerPlatform {
  const { networkResourceName = "stellaops-dev", networkName = "stellaops-dev", ...fields } = overrides;
  const provider = new docker.Provider("docker", { host: "unix:///var/run/docker.sock" });
  const network = new docker.Network(networkResourceName, { name: networkName }, { provider });
  return {
    kind: "docker",
    provider,
    network,
    bindAddress: "127.0.0.1",
    adminAddress: "127.0.0.1",
    namePrefix: "stellaops-dev",
    labels: {},
    logs: dockerLogSettings.parse({}),
    stateful: { protect: true, retainOnDelete: true },
    ...fields,
  };
}

type KubernetesPlatformOverrides = Partial<
  Omit<KubernetesPlatform, "kind" | "provider" | "namespace" | "namespaceName">
> & {
  /** Logical (Pulumi) name of the k8s.Provider resource. */
  providerName?: string;
  /** Passed to the provider only when given. */
  kubeconfig?: string;
  /** Sets the provider's namespace, `namespace` and `namespaceName` together. */
  namespace?: string;
};

/** A KubernetesPlatform on a real k8s.Provider "kubernetes" in namespace "stellaops". */
export function testKubernetesPlatform(overrides: KubernetesPlatformOverrides = {}): KubernetesPlatform {
  const { providerName = "kubernetes", kubeconfig, namespace = "stellaops", ...fields } = overrides;
  const provider = new k8s.Provider(providerName, kubeconfig === undefined ? { namespace } : { kubeconfig, namespace });
  return {
    kind: "kubernetes",
    provider,
    namespace: pulumi.output(namespace),
    namespaceName: namespace,
    imagePullSecrets: ["mirror-pull"],
    labels: { "app.kubernetes.io/part-of": "stellaops" },
    stateful: { protect: true, retainOnDelete: true },
    ...fields,
  };
}

/** An AwsPlatform on a real aws.Provider "aws" in eu-west-1, in an example VPC with one allowed security group. */
export function testAwsPlatform(overrides: Partial<Omit<AwsPlatform, "kind" | "provider">> = {}): AwsPlatform {
  return {
    kind: "aws",
    provider: new aws.Provider("aws", { region: "eu-west-1" }),
    namePrefix: "stellaops-prod",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60aaa"],
    allowedCidrs: [],
    tags: {},
    stateful: { protect: true, retainOnDelete: true },
    ...overrides,
  };
}
