import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform } from "../../components/platform";

/**
 * Sealed sites: pods in the namespace may talk to each other and to cluster DNS, and nothing else.
 * Ingress is not restricted here (the cluster's own policies decide who reaches StellaOps).
 */
export function denyEgressPolicy(
  name: string,
  platform: KubernetesPlatform,
  parent?: pulumi.Resource,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    name,
    {
      metadata: {
        name: "stellaops-default-deny-egress",
        namespace: platform.namespace,
        labels: { ...platform.labels },
      },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          // Anything in this namespace (the data services and StellaOps itself).
          { to: [{ podSelector: {} }] },
          // Cluster DNS.
          {
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      },
    },
    { parent, provider: platform.provider },
  );
}
