import type { UpstreamSource } from "../../../plan/types";
import type { Pod } from "../podSecurity";

/**
 * The pods CloudNativePG creates for a Cluster (instances, and the initdb/join Jobs, which take the same security
 * contexts), as far as Pod Security is concerned. Read in cloudnative-pg/cloudnative-pg @ v1.28.0 (a9696201):
 * pkg/specs/pods.go (createClusterPodSpec: bootstrap-controller init container and the postgres container;
 * GetPodSecurityContext), pkg/specs/containers.go (GetSecurityContext), pkg/specs/jobs.go (the same two for Jobs),
 * pkg/specs/volumes.go (createPostgresVolumes: pgdata and pg-wal PVCs, scratch-data and shm emptyDirs, a projected
 * volume when projectedVolumeTemplate is set, image volumes for extensions), api/v1/cluster_types.go
 * (DefaultPostgresUID/GID 26), api/v1/cluster_funcs.go (GetSeccompProfile: RuntimeDefault unless seccompProfile).
 * Under OpenShift the operator leaves the pod context to the SCC; that case is not modelled. Pure.
 */

export const CNPG_POD_SOURCE: UpstreamSource = {
  repository: "cloudnative-pg/cloudnative-pg",
  ref: "v1.28.0 (a9696201)",
  file: "pkg/specs/pods.go, pkg/specs/containers.go, pkg/specs/volumes.go",
  symbol: "createClusterPodSpec, GetPodSecurityContext, GetSecurityContext, createPostgresVolumes",
};

const POSTGRES_ID = 26;

/* eslint-disable @typescript-eslint/no-explicit-any -- the Cluster spec is free-form here */
function podSecurityContext(spec: any): any {
  const seccompProfile = spec.seccompProfile ?? { type: "RuntimeDefault" };
  const defaults = {
    seccompProfile,
    runAsUser: spec.postgresUID ?? POSTGRES_ID,
    runAsGroup: spec.postgresGID ?? POSTGRES_ID,
    runAsNonRoot: true,
    fsGroup: spec.postgresGID ?? POSTGRES_ID,
  };
  if (!spec.podSecurityContext) return defaults;
  // A user-defined context gets only the user, the group and seccomp filled in.
  const own = { ...spec.podSecurityContext };
  own.runAsUser ??= defaults.runAsUser;
  own.runAsGroup ??= defaults.runAsGroup;
  own.seccompProfile ??= seccompProfile;
  return own;
}

function containerSecurityContext(spec: any): any {
  const defaults = {
    seccompProfile: spec.seccompProfile ?? { type: "RuntimeDefault" },
    capabilities: { drop: ["ALL"] },
    privileged: false,
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
  };
  if (!spec.securityContext) return defaults;
  // A user-defined context keeps its capabilities as given; these six are filled in when absent.
  const own = { ...spec.securityContext };
  own.seccompProfile ??= defaults.seccompProfile;
  own.runAsNonRoot ??= defaults.runAsNonRoot;
  own.readOnlyRootFilesystem ??= defaults.readOnlyRootFilesystem;
  own.allowPrivilegeEscalation ??= defaults.allowPrivilegeEscalation;
  return own;
}

/** An instance pod of the Cluster (the Jobs' pods carry the same contexts). */
export function cnpgInstancePod(clusterSpec: any): Pod {
  const securityContext = containerSecurityContext(clusterSpec);
  const volumes: any[] = [
    { name: "pgdata", persistentVolumeClaim: { claimName: "instance" } },
    { name: "scratch-data", emptyDir: {} },
    { name: "shm", emptyDir: { medium: "Memory" } },
  ];
  if (clusterSpec.walStorage) volumes.push({ name: "pg-wal", persistentVolumeClaim: { claimName: "instance-wal" } });
  if (clusterSpec.projectedVolumeTemplate)
    volumes.push({ name: "projected", projected: clusterSpec.projectedVolumeTemplate });
  for (const ext of clusterSpec.postgresql?.extensions ?? []) volumes.push({ name: ext.name, image: ext.image });
  return {
    spec: {
      securityContext: podSecurityContext(clusterSpec),
      initContainers: [{ name: "bootstrap-controller", securityContext }],
      containers: [{ name: "postgres", securityContext }],
      volumes,
    },
  };
}
