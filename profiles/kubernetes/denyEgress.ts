import * as k8s from "../../components/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform } from "../../components/platform";
import { namespaceNetworkPolicy } from "./networkPolicy";

/** `stellaops-infra:kubernetes.dns`: where cluster DNS answers. */
export interface ClusterDns {
  readonly namespace: string;
  readonly ports: readonly number[];
  readonly cidrs: readonly string[];
}

const dnsPorts = (ports: readonly number[]) =>
  ports.flatMap((port) => [
    { protocol: "UDP", port },
    { protocol: "TCP", port },
  ]);

/**
 * The deny-all-but-the-site egress spec: every pod may reach the namespace and cluster DNS (the DNS pods'
 * namespace, plus any node-local DNS address) on the DNS ports, and nothing else.
 */
export function denyEgressSpec(dns: ClusterDns) {
  return {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      // Anything in this namespace (the data services and StellaOps itself).
      { to: [{ podSelector: {} }] },
      // Cluster DNS pods, on the ports they listen on (NetworkPolicy matches after the Service's port mapping).
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": dns.namespace } } }],
        ports: dnsPorts(dns.ports),
      },
      // DNS answered outside any pod (NodeLocal DNSCache on a link-local address).
      ...(dns.cidrs.length > 0
        ? [{ to: dns.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: dnsPorts(dns.ports) }]
        : []),
    ],
  };
}

/**
 * Sealed sites: pods in the namespace may talk to each other and to cluster DNS (`kubernetes.dns`), and nothing else.
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
  dns: ClusterDns,
  opts: pulumi.CustomResourceOptions = {},
): k8s.networking.v1.NetworkPolicy {
  return namespaceNetworkPolicy(
    name,
    platform,
    { metadataName: "stellaops-default-deny-egress", spec: denyEgressSpec(dns) },
    opts,
  );
}
