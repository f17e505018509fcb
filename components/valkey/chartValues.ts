import type * as pulumi from "@pulumi/pulumi";
import { type AclUser } from "./model";
import { chartPermissions } from "./renderAcl";
import { renderChartValkeyConf } from "./renderConf";
import { throwOnProblems, type SettingsProblem } from "../settingsProblem";
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

/** The reference without its digest, the digest, and where the tag starts (-1 when there is no tag). */
function splitReference(reference: string): { name: string; digest?: string; colon: number } {
  const [name, digest] = reference.split("@");
  const colon = name.lastIndexOf(":");
  return { name, digest, colon: colon > name.lastIndexOf("/") ? colon : -1 };
}

/** The chart renders `repository:tag`, so the image needs a tag (a digest alone cannot be rendered). */
function chartImageProblems(reference: string): SettingsProblem[] {
  if (splitReference(reference).colon >= 0) return [];
  return [
    {
      path: ["image"],
      message: `"${reference}" needs a tag (repository:tag or repository:tag@sha256:<digest>): the valkey chart renders repository:tag`,
    },
  ];
}

/** A write quorum (minReplicasToWrite) the replicas cannot satisfy would make the primary refuse every write. */
function writeQuorumProblems(k: Pick<ValkeyKubernetesSettings, "replicas" | "minReplicasToWrite">): SettingsProblem[] {
  const path = ["minReplicasToWrite"];
  if (k.replicas === 0 && k.minReplicasToWrite > 0) {
    return [{ path, message: "needs kubernetes.valkey.replicas >= 1" }];
  }
  if (k.minReplicasToWrite > k.replicas) {
    return [
      {
        path,
        message: `${k.minReplicasToWrite} exceeds kubernetes.valkey.replicas (${k.replicas}): the primary would refuse every write; allowed: 0-${k.replicas}`,
      },
    ];
  }
  return [];
}

/**
 * Settings the valkey chart cannot render: an image without a tag, a write quorum the replicas cannot meet. A rule of
 * the `kubernetes.valkey` block; paths are relative to it (the schema's refinement in settings.ts; zod prefixes them).
 */
export function valkeyChartProblems(
  k: Pick<ValkeyKubernetesSettings, "image" | "replicas" | "minReplicasToWrite">,
): SettingsProblem[] {
  return [...chartImageProblems(k.image), ...writeQuorumProblems(k)];
}

/** Splits `[registry/]repository:tag[@sha256:…]` into the chart's image fields. */
export function chartImage(reference: string): ChartImage {
  throwOnProblems(chartImageProblems(reference));
  const { name, digest, colon } = splitReference(reference);
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
  /**
   * The chart's `podAnnotations` (its Deployment and its StatefulSet templates both render them): a fingerprint
   * of the credentials, so a rotated password rolls the pods and the init container rebuilds the ACL file.
   */
  readonly podAnnotations?: Readonly<Record<string, pulumi.Input<string>>>;
}

export function valkeyChartValues(input: ChartValuesInput): Record<string, unknown> {
  const k = input.kubernetes;
  const storageClass = k.storageClass ?? input.storageClass ?? "";
  const replicated = k.replicas > 0;
  if (replicated && input.replicationUser === undefined) {
    // The caller's mistake, not the operator's: serverAclUsers adds the replication user with replicas.
    throw new Error("kubernetes.valkey.replicas > 0 needs a replication user in the ACL model");
  }
  return {
    fullnameOverride: k.releaseName,
    image: { ...chartImage(k.image), pullPolicy: "IfNotPresent" },
    imagePullSecrets: [...input.imagePullSecrets],
    commonLabels: { ...input.labels },
    ...(input.podAnnotations ? { podAnnotations: { ...input.podAnnotations } } : {}),
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
