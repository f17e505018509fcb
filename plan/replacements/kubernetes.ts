import type { ReplacementRule, UpstreamSource } from "../types";

/**
 * pulumi/pulumi-kubernetes, a native provider: which object fields it replaces on (its own table, not the API
 * server's immutability rules). v4.32.0 is the newest release in the stored snapshot; the installed SDK is 4.34.2.
 */
const upstream = (file: string, symbol: string): UpstreamSource => ({
  repository: "pulumi/pulumi-kubernetes",
  ref: "v4.32.0",
  file,
  symbol,
  note: "newest tag in the snapshot (installed @pulumi/kubernetes 4.34.2)",
});

const DIFF_GO = "provider/pkg/provider/diff.go";

/** metadataForceNewProperties: the identity of every object. */
const METADATA = ["metadata.name", "metadata.namespace"];

function selector(prefix: string): string[] {
  return [prefix, `${prefix}.matchExpressions`, `${prefix}.matchLabels`];
}

/** The `forceNew` table of diff.go for the kinds this program creates, by type token. */
const KINDS: Record<string, { paths: string[]; symbol: string }> = {
  "kubernetes:apps/v1:StatefulSet": {
    paths: [
      "spec.podManagementPolicy",
      "spec.revisionHistoryLimit",
      "spec.serviceName",
      "spec.volumeClaimTemplates",
      ...selector("spec.selector"),
    ],
    symbol: "forceNew statefulSet",
  },
  "kubernetes:apps/v1:Deployment": { paths: selector("spec.selector"), symbol: "forceNew deployment" },
  "kubernetes:apps/v1:DaemonSet": { paths: selector("spec.selector"), symbol: "forceNew daemonset" },
  "kubernetes:batch/v1:Job": {
    paths: ["spec.completions", "spec.parallelism", "spec.template", ...selector("spec.selector")],
    symbol: "forceNew job",
  },
  "kubernetes:core/v1:PersistentVolumeClaim": {
    paths: ["spec.accessModes", "spec.storageClassName", "spec.volumeName", ...selector("spec.selector")],
    symbol: "forceNew core PersistentVolumeClaim",
  },
  "kubernetes:core/v1:Service": { paths: ["spec.clusterIP"], symbol: "forceNew core Service" },
  // Secrets and ConfigMaps are immutable to the provider unless its enableSecretMutable /
  // enableConfigMapMutable options are on (forceNewProperties); this program leaves both off.
  "kubernetes:core/v1:Secret": { paths: ["type", "data", "stringData"], symbol: "forceNewProperties (IsSecret)" },
  "kubernetes:core/v1:ConfigMap": { paths: ["data", "binaryData"], symbol: "forceNewProperties (IsConfigMap)" },
};

/** Object kinds not in the table (Namespace, NetworkPolicy, custom resources such as a CNPG Cluster). */
const OBJECT_FALLBACK = "forceNewProperties: metadataForceNewProperties only";

export function kubernetesObjectRule(type: string): ReplacementRule | undefined {
  if (!type.startsWith("kubernetes:") || type.startsWith("kubernetes:helm.sh/")) return undefined;
  const kind = KINDS[type];
  return {
    type,
    forceNew: [...METADATA, ...(kind?.paths ?? [])],
    source: upstream(DIFF_GO, kind?.symbol ?? OBJECT_FALLBACK),
  };
}

export const KUBERNETES_RULES: readonly ReplacementRule[] = [
  {
    type: "kubernetes:helm.sh/v3:Release",
    // helmReleaseProvider.Diff: forceNewFields .name and .namespace; chart, version and values are upgrades.
    forceNew: ["name", "namespace"],
    source: upstream("provider/pkg/provider/helm_release.go", "helmReleaseProvider.Diff forceNewFields"),
  },
];
