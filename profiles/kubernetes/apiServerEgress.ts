import * as k8s from "../../components/sdk/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform } from "../../components/platform";
import { namespaceNetworkPolicy } from "./networkPolicy";

/** `stellaops-infra:kubernetes.apiServer`: the Kubernetes API server by address, as NetworkPolicy needs it. */
export interface ApiServerAddresses {
  readonly cidrs: readonly string[];
  readonly ports: readonly number[];
}

/** CloudNativePG labels every pod of a Cluster (instances and their bootstrap Jobs) with the Cluster's name. */
export const CNPG_CLUSTER_LABEL = "cnpg.io/cluster";

/**
 * The egress exception default-deny needs for CloudNativePG: the instance manager in each PostgreSQL pod
 * watches and updates its Cluster through the Kubernetes API server, so without this the instances never
 * become ready. Only the pods of our Cluster, only to the given CIDRs and TCP ports.
 * An egress rule without destinations would allow every address, so an empty CIDR list is refused here too
 * (the config rule `kubernetes.apiServer.cidrs` reports it to the operator first).
 */
export function cnpgApiServerEgressSpec(apiServer: ApiServerAddresses, clusterName: string) {
  if (apiServer.cidrs.length === 0 || apiServer.ports.length === 0) {
    throw new Error("cnpgApiServerEgressSpec needs at least one API server CIDR and port");
  }
  return {
    podSelector: { matchLabels: { [CNPG_CLUSTER_LABEL]: clusterName } },
    policyTypes: ["Egress"],
    egress: [
      {
        to: apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: apiServer.ports.map((port) => ({ protocol: "TCP", port })),
      },
    ],
  };
}

export interface CnpgApiServerEgressArgs {
  readonly apiServer: ApiServerAddresses;
  /** `kubernetes.postgres.clusterName`: the CloudNativePG Cluster whose pods get the exception. */
  readonly clusterName: string;
}

/**
 * Lets the CloudNativePG pods in the stack's namespace reach the API server under `kubernetes.denyEgress`.
 * The operator runs in its own namespace (`kubernetes.postgres.operator.namespace`, whether this stack installs it
 * or not), which these policies do not select: its traffic is not restricted here. Its connections to the instance
 * pods (ports 8000 and 5432) are ingress for this namespace, which denyEgress leaves open.
 */
export function cnpgApiServerEgressPolicy(
  name: string,
  platform: KubernetesPlatform,
  args: CnpgApiServerEgressArgs,
  opts: pulumi.CustomResourceOptions = {},
): k8s.networking.v1.NetworkPolicy {
  return namespaceNetworkPolicy(
    name,
    platform,
    {
      metadataName: "stellaops-cnpg-apiserver-egress",
      spec: cnpgApiServerEgressSpec(args.apiServer, args.clusterName),
    },
    opts,
  );
}
