import { chartPermissions, type AclUser } from "./acl";
import { renderChartValkeyConf } from "./conf";
import type { ValkeyKubernetesSettings, ValkeySettings } from "./settings";

/**
 * Helm values for the valkey-io `valkey` chart (0.9.x layout: dataStorage, replica.persistence, valkeyConfig,
 * auth.usersExistingSecret), pure. No password ever appears here: the chart reads them from the users Secret and
 * writes only their SHA-256 hashes into the ACL file it builds.
 */

export interface ChartImage {
  readonly registry: string;
  readonly repository: string;
  /** A tag, optionally followed by @sha256:<digest> (the chart renders `registry/repository:tag`). */
  readonly tag: string;
}

/** Splits `[registry/]repository:tag[@sha256:…]` into the chart's image fields. */
export function chartImage(reference: string): ChartImage {
  const [name, digest] = reference.split("@");
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon <= slash) {
    throw new Error(
      `kubernetes.valkey.image "${reference}" needs a tag (repository:tag or repository:tag@sha256:<digest>): the valkey chart renders repository:tag`,
    );
  }
  const path = name.slice(0, colon);
  const tag = name.slice(colon + 1) + (digest ? `@${digest}` : "");
  const first = path.split("/")[0];
  const hasRegistry = path.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return hasRegistry
    ? { registry: first, repository: path.slice(first.length + 1), tag }
    : { registry: "docker.io", repository: path.includes("/") ? path : `library/${path}`, tag };
}

export interface ChartValuesInput {
  readonly settings: ValkeySettings;
  readonly kubernetes: ValkeyKubernetesSettings;
  /** Every ACL user, the disabled default user included; each has a key of its name in the users Secret. */
  readonly users: readonly AclUser[];
  readonly usersSecretName: string;
  readonly replicationUser?: string;
  readonly storageClass?: string;
  readonly imagePullSecrets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Keep the standalone PVC when the release is uninstalled. */
  readonly keepVolume: boolean;
}

export function valkeyChartValues(input: ChartValuesInput): Record<string, unknown> {
  const k = input.kubernetes;
  const storageClass = k.storageClass ?? input.storageClass ?? "";
  const replicated = k.replicas > 0;
  if (replicated && input.replicationUser === undefined) {
    throw new Error("kubernetes.valkey.replicas > 0 needs a replication user in the ACL model");
  }
  if (!replicated && k.minReplicasToWrite > 0) {
    throw new Error("kubernetes.valkey.minReplicasToWrite needs kubernetes.valkey.replicas >= 1");
  }
  if (k.minReplicasToWrite > k.replicas) {
    throw new Error(
      `kubernetes.valkey.minReplicasToWrite (${k.minReplicasToWrite}) exceeds kubernetes.valkey.replicas (${k.replicas}): the primary would refuse every write`,
    );
  }
  return {
    fullnameOverride: k.releaseName,
    image: { ...chartImage(k.image), pullPolicy: "IfNotPresent" },
    imagePullSecrets: [...input.imagePullSecrets],
    commonLabels: { ...input.labels },
    valkeyConfig: renderChartValkeyConf(input.settings),
    auth: {
      enabled: true,
      usersExistingSecret: input.usersSecretName,
      aclUsers: Object.fromEntries(input.users.map((u) => [u.name, { permissions: chartPermissions(u) }])),
    },
    tls: k.tlsSecretName ? { enabled: true, existingSecret: k.tlsSecretName } : { enabled: false },
    ...(replicated
      ? {
          replica: {
            enabled: true,
            replicas: k.replicas,
            replicationUser: input.replicationUser,
            minReplicasToWrite: k.minReplicasToWrite,
            persistence: { size: k.storageSize, storageClass },
          },
        }
      : {
          // A ReadWriteOnce volume cannot be handed over during a rolling update: stop the old pod first.
          deploymentStrategy: "Recreate",
          dataStorage: {
            enabled: true,
            requestedSize: k.storageSize,
            className: storageClass,
            keepPvc: input.keepVolume,
          },
        }),
  };
}
