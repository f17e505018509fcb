import * as k8s from "../sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, statefulResourceOptions } from "../contract";
import type { KubernetesPlatform } from "../platform";
import { credentialFingerprintOutput, NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import { generatedRustfsCredentials, RUSTFS_DATA_DIR, RUSTFS_NO_UPDATE_CHECK, RUSTFS_UID } from "./rustfs";
import { RUSTFS_LIVENESS_PATH, RUSTFS_LOGS_TO_STDOUT, RUSTFS_READINESS_PATH } from "./rustfsFacts";
import { parseS3Url, s3BaseUrl, type ObjectStoreServer } from "./server";
import type { ObjectStoreKubernetesSettings } from "./settings";

/** Object names in the namespace. The Service is `rustfs`, so in-namespace clients reach http://rustfs:<port>. */
export const RUSTFS_K8S_NAME = "rustfs";
/**
 * Pod annotation carrying a fingerprint of the root keys. RustFS reads them from env at start, and a changed
 * Secret does not restart a pod, so the annotation is what rolls the StatefulSet when the keys rotate.
 */
export const RUSTFS_CREDENTIALS_ANNOTATION = "stellaops.io/rustfs-credentials-checksum";

export interface ObjectStoreKubernetesServerArgs {
  readonly platform: KubernetesPlatform;
  readonly kubernetes: ObjectStoreKubernetesSettings;
  /** `stellaops-infra:rotation`; `objectStore.root` renews the root keys and rolls the pod. */
  readonly rotation?: RotationTokens;
}

/**
 * RustFS as a one-replica StatefulSet on a persistent volume claim, a ClusterIP Service and a Secret holding
 * generated root credentials.
 *
 * Why not RustFS's upstream Helm chart (rustfs/rustfs, helm/rustfs, published at charts.rustfs.com)? It can be
 * pinned and vendored, but it is pre-1.0 (0.0.x) and does not yet suit a sealed, reviewable install:
 * - its values layout has changed incompatibly between releases (`image.repository` became `image.rustfs.repository`,
 *   `initStep` became `image.initImage`), and Helm ignores unknown values, so a chart bump would silently fall back
 *   to pulling rustfs/rustfs from Docker Hub, which a sealed site cannot do;
 * - it renders images as `repository:tag` only (no digest field), and its standalone mode adds an init container
 *   (busybox by default): one more image to mirror, for a job `fsGroup` already does;
 * - its defaults create an Ingress for example.rustfs.com and a 4-pod distributed cluster.
 * Everything below is visible in `pulumi preview`. Ownership of the volume comes from `fsGroup: 10001` (the kubelet
 * makes the volume group-writable for the pod), not from a root init container. Revisit when the chart reaches 1.0
 * with a stable values schema.
 */
export class ObjectStoreKubernetesServer extends ServerComponent implements ObjectStoreServer {
  public readonly backend = "rustfs" as const;
  public readonly region: pulumi.Output<string>;
  public readonly pathStyle = true;
  public readonly https: boolean;
  public readonly serviceUrl: pulumi.Output<string>;
  public readonly adminUrl: pulumi.Output<string>;
  public readonly credentialsSecret: k8s.core.v1.Secret;
  public readonly service: k8s.core.v1.Service;
  public readonly dataClaim: k8s.core.v1.PersistentVolumeClaim;
  public readonly statefulSet: k8s.apps.v1.StatefulSet;

  constructor(name: string, args: ObjectStoreKubernetesServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:objectStore:KubernetesServer", name, {}, opts);
    const { platform, kubernetes: settings } = args;
    const provider = platform.provider;
    const credentials = generatedRustfsCredentials(
      name,
      this,
      rotationToken(args.rotation ?? NO_ROTATION, rotationId.objectStoreRoot),
    );
    const selector = { "app.kubernetes.io/name": "rustfs", "app.kubernetes.io/instance": RUSTFS_K8S_NAME };
    const labels = { ...platform.labels, ...selector, "app.kubernetes.io/component": "object-storage" };
    const metadata = (objectName: string) => ({ name: objectName, namespace: platform.namespace, labels });

    this.credentialsSecret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: metadata(`${RUSTFS_K8S_NAME}-credentials`),
        type: "Opaque",
        stringData: { RUSTFS_ACCESS_KEY: credentials.accessKey, RUSTFS_SECRET_KEY: credentials.secretKey },
      },
      { parent: this, provider },
    );

    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: metadata(RUSTFS_K8S_NAME),
        spec: {
          type: "ClusterIP",
          selector,
          ports: [{ name: "s3", port: settings.port, targetPort: "s3", protocol: "TCP" }],
        },
      },
      { parent: this, provider },
    );

    // The data volume is its own resource, so it carries protect/retainOnDelete, and growing storageSize is an
    // in-place PVC expansion (a StatefulSet's volumeClaimTemplates cannot change). Its labels are fixed: no label
    // setting may ever touch it.
    this.dataClaim = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-data`,
      {
        metadata: { name: `${RUSTFS_K8S_NAME}-data`, namespace: platform.namespace, labels: selector },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: platform.storageClass,
          resources: { requests: { storage: settings.storageSize } },
        },
      },
      { parent: this, provider, ...statefulResourceOptions(platform.stateful) },
    );

    const secretEnv = (key: string) => ({
      name: key,
      valueFrom: { secretKeyRef: { name: this.credentialsSecret.metadata.name, key } },
    });
    const probe = (path: string, failureThreshold: number, periodSeconds: number) => ({
      httpGet: { path, port: "s3" },
      periodSeconds,
      timeoutSeconds: 3,
      failureThreshold,
    });
    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-server`,
      {
        metadata: metadata(RUSTFS_K8S_NAME),
        spec: {
          serviceName: this.service.metadata.name,
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: {
              labels,
              annotations: {
                [RUSTFS_CREDENTIALS_ANNOTATION]: credentialFingerprintOutput({
                  accessKey: credentials.accessKey,
                  secretKey: credentials.secretKey,
                }),
              },
            },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              imagePullSecrets: platform.imagePullSecrets.map((secretName) => ({ name: secretName })),
              securityContext: {
                runAsUser: RUSTFS_UID,
                runAsGroup: RUSTFS_UID,
                runAsNonRoot: true,
                fsGroup: RUSTFS_UID,
                fsGroupChangePolicy: "OnRootMismatch",
                seccompProfile: { type: "RuntimeDefault" },
              },
              containers: [
                {
                  name: "rustfs",
                  image: settings.image,
                  imagePullPolicy: "IfNotPresent",
                  env: [
                    secretEnv("RUSTFS_ACCESS_KEY"),
                    secretEnv("RUSTFS_SECRET_KEY"),
                    { name: "RUSTFS_ADDRESS", value: `:${settings.port}` },
                    { name: "RUSTFS_VOLUMES", value: RUSTFS_DATA_DIR },
                    { name: "RUSTFS_REGION", value: settings.region },
                    { name: "RUSTFS_CONSOLE_ENABLE", value: "false" },
                    RUSTFS_NO_UPDATE_CHECK,
                    // Logs to stdout (what `kubectl logs` and the node's log collection read), not to files.
                    RUSTFS_LOGS_TO_STDOUT,
                  ],
                  ports: [{ name: "s3", containerPort: settings.port, protocol: "TCP" }],
                  // Generous start-up budget: a large volume takes a while to scan before RustFS serves.
                  // Start-up and liveness ask whether the process runs (/health); readiness, which the rollout
                  // Pulumi waits on and the Service's endpoints follow, whether storage and IAM are ready.
                  startupProbe: probe(RUSTFS_LIVENESS_PATH, 60, 5),
                  readinessProbe: probe(RUSTFS_READINESS_PATH, 3, 5),
                  livenessProbe: probe(RUSTFS_LIVENESS_PATH, 6, 10),
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                  },
                  volumeMounts: [
                    { name: "data", mountPath: RUSTFS_DATA_DIR },
                    // Logs go to stdout; /logs stays a writable scratch mount (the image's log directory, should
                    // anything still write there) beside /tmp, under the read-only root filesystem.
                    { name: "logs", mountPath: "/logs" },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "data", persistentVolumeClaim: { claimName: this.dataClaim.metadata.name } },
                { name: "logs", emptyDir: {} },
                { name: "tmp", emptyDir: {} },
              ],
            },
          },
        },
      },
      // Pulumi waits for the rollout (the pod ready on /health/ready) before anything depends on it. One replica on a
      // ReadWriteOnce claim: a StatefulSet never runs the old and the new pod at once.
      { parent: this, provider },
    );

    const endpoint = {
      host: pulumi.output(`${RUSTFS_K8S_NAME}.${platform.namespaceName}.svc`),
      port: pulumi.output(settings.port),
    };
    const admin = settings.adminEndpoint !== undefined ? parseS3Url(settings.adminEndpoint) : undefined;
    this.serve({
      endpoint,
      ...(admin ? { adminEndpoint: { host: pulumi.output(admin.host), port: pulumi.output(admin.port) } } : {}),
      // The Service speaks plain http; a TLS-terminating admin endpoint does not change what the services use.
      tls: pulumi.output(false),
      admin: { username: credentials.accessKey, password: credentials.secretKey },
      readyResources: [this.statefulSet],
      deletedWith: this.statefulSet,
    });
    this.serviceUrl = s3BaseUrl(false, endpoint.host, endpoint.port);
    this.adminUrl = admin ? s3BaseUrl(admin.https, admin.host, admin.port) : this.serviceUrl;
    this.https = false;
    this.region = pulumi.output(settings.region);
    this.registerOutputs({
      endpoint: this.endpoint,
      adminEndpoint: this.adminEndpoint,
      serviceUrl: this.serviceUrl,
      tls: this.tls,
    });
  }
}
