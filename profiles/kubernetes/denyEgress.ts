import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform } from "../../components/platform";

/**
 * Sealed sites: pods in the namespace may talk to each other and to cluster DNS, and nothing else.
 * Ingress is not restricted here (the cluster's own policies decide who reaches StellaOps).
 * One exception, in its own policy (apiServerEgress.ts): the CloudNativePG pods reach the Kubernetes API server
 * at `kubernetes.apiServer.cidrs`/`ports`, required with denyEgress; pass it in `opts.dependsOn` so this policy
 * never applies without it. Nothing else in the namespace calls the API server (the layout Job only speaks
 * PostgreSQL to the in-namespace Service; the valkey, nats and RustFS pods talk among themselves).
 * The CloudNativePG operator lives in another namespace and is not restricted by this policy.
 */
export function denyEgressPolicy(
  name: string,
  platform: KubernetesPlatform,
  opts: pulumi.CustomResourceOptions = {},
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
    { ...opts, provider: platform.provider },
  );
}
