import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DockerPlatform, KubernetesPlatform } from "../../components/platform";

// One fixture for the Docker/Kubernetes platforms unit tests build with real provider resources, instead of a copy per file.

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
    airgapped: false,
    labels: {},
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
    airgapped: false,
    imagePullSecrets: ["mirror-pull"],
    labels: { "app.kubernetes.io/part-of": "stellaops" },
    stateful: { protect: true, retainOnDelete: true },
    ...fields,
  };
}
