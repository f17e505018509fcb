import * as k8s from "../../components/sdk/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform } from "../../components/platform";

/** A NetworkPolicy in the stack's namespace, labelled like everything else the stack creates there. */
export function namespaceNetworkPolicy(
  name: string,
  platform: KubernetesPlatform,
  policy: { readonly metadataName: string; readonly spec: k8s.types.input.networking.v1.NetworkPolicySpec },
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy {
  return new k8s.networking.v1.NetworkPolicy(
    name,
    {
      metadata: { name: policy.metadataName, namespace: platform.namespace, labels: { ...platform.labels } },
      spec: policy.spec,
    },
    { ...opts, provider: platform.provider },
  );
}
