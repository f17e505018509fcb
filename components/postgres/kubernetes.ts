import * as k8s from "../sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, statefulResourceOptions } from "../contract";
import { helmChartArgs, type KubernetesPlatform } from "../platform";
import { majorOf } from "../settingsCommon";
import { majorVersionGuard } from "./majorGuard";
import type { RotationTokens } from "../rotation";
import { adminPassword } from "./passwords";
import { POSTGRES_PORT, type PostgresServer } from "./server";
import type { PostgresKubernetesSettings, PostgresSettings } from "./settings";

const OWN_LABELS = {
  "app.kubernetes.io/name": "postgres",
  "app.kubernetes.io/component": "database",
  "app.kubernetes.io/part-of": "stellaops",
  "app.kubernetes.io/managed-by": "stellaops-infra",
};

export interface PostgresKubernetesServerArgs {
  readonly platform: KubernetesPlatform;
  /** `stellaops-infra:postgres` (the version the operand image must run, and the major-upgrade switch). */
  readonly settings: PostgresSettings;
  /** `stellaops-infra:kubernetes.postgres` */
  readonly kubernetes: PostgresKubernetesSettings;
  /** `stellaops-infra:rotation`: `postgres.admin` renews the superuser password. */
  readonly rotation?: RotationTokens;
}

/** The CloudNativePG Cluster spec, by concern, so a change to one never touches another (storage in particular). */
export function cnpgClusterSpec(
  settings: PostgresKubernetesSettings,
  platform: KubernetesPlatform,
  superuserSecret: string,
) {
  const storageClass = settings.storageClass ?? platform.storageClass;
  return {
    instances: settings.instances,
    imageName: settings.imageName,
    ...(platform.imagePullSecrets.length > 0
      ? { imagePullSecrets: platform.imagePullSecrets.map((name) => ({ name })) }
      : {}),
    // The layout Job logs in as postgres with this password; CloudNativePG leaves superuser access off otherwise.
    enableSuperuserAccess: true,
    superuserSecret: { name: superuserSecret },
    storage: { size: settings.storageSize, ...(storageClass ? { storageClass } : {}) },
    postgresql: {
      parameters: { max_connections: String(settings.maxConnections), shared_buffers: settings.sharedBuffers },
    },
  };
}

/**
 * PostgreSQL on Kubernetes through CloudNativePG: a `Cluster` with a pinned operand image, its storage, and a
 * superuser secret created here from a generated password; optionally the operator itself from its Helm chart.
 * Pulumi waits for the Cluster's Ready condition, so the layout Job (PostgresLayoutJob) runs against a live server.
 * Services reach it at `<clusterName>-rw.<namespace>.svc`, always over TLS (CloudNativePG's own CA).
 */
export class PostgresKubernetesServer extends ServerComponent implements PostgresServer {
  public readonly adminIsSuperuser = true;
  public readonly cluster: k8s.apiextensions.CustomResource;
  public readonly operator?: k8s.helm.v3.Release;

  constructor(name: string, args: PostgresKubernetesServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:postgres:KubernetesServer", name, {}, opts);
    const { platform } = args;
    const settings = args.kubernetes;
    const on = { parent: this, provider: platform.provider };
    const labels = { ...platform.labels, ...OWN_LABELS };
    // CloudNativePG takes the major from the image tag and upgrades in place when it changes (1.26+).
    const version = args.settings.version;
    const majorGuard = majorVersionGuard(
      name,
      { major: majorOf(version), allowMajorUpgradeTo: args.settings.allowMajorUpgradeTo, platform: "kubernetes" },
      this,
    );

    if (settings.operator.install) {
      const chart = helmChartArgs(settings.operator.chartSource);
      this.operator = new k8s.helm.v3.Release(
        `${name}-operator`,
        {
          name: "cnpg",
          chart: chart.chart,
          version: chart.version,
          ...(chart.repositoryOpts ? { repositoryOpts: chart.repositoryOpts } : {}),
          namespace: settings.operator.namespace,
          createNamespace: true,
          // Rolled back unless every object (webhooks included) comes up, so the Cluster never meets half an operator.
          atomic: true,
          cleanupOnFail: true,
          timeout: 600,
          values: settings.operator.values,
        },
        on,
      );
    }

    // CloudNativePG's instance manager sets the postgres password from this Secret whenever the Secret's
    // resourceVersion changes (cloudnative-pg @ v1.28.0, internal/management/controller/instance_controller.go,
    // refreshCredentialsFromSecret/reconcileUser), so a rotation is the Secret's in-place update.
    const superuserPassword = adminPassword(`${name}-superuser-password`, this, args.rotation);
    const password = pulumi.secret(superuserPassword.result);
    const superuserSecretName = `${settings.clusterName}-superuser`;
    const superuserSecret = new k8s.core.v1.Secret(
      `${name}-superuser`,
      {
        metadata: { name: superuserSecretName, namespace: platform.namespace, labels },
        type: "kubernetes.io/basic-auth",
        stringData: { username: "postgres", password },
      },
      on,
    );

    this.cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: {
          name: settings.clusterName,
          namespace: platform.namespace,
          // Fixed labels only: the Cluster's inputs must not move when the stack's labels do.
          labels: OWN_LABELS,
          // Await the operator's Ready condition (primary up, replicas streaming) before dependents run.
          annotations: { "pulumi.com/waitFor": "condition=Ready" },
        },
        spec: cnpgClusterSpec(settings, platform, superuserSecretName),
      },
      {
        ...on,
        ...statefulResourceOptions(platform.stateful),
        // The guard first: CloudNativePG starts a major upgrade as soon as it sees the new image.
        dependsOn: [superuserSecret, majorGuard, ...(this.operator ? [this.operator] : [])],
        customTimeouts: { create: "30m", update: "30m" },
      },
    );

    const host = `${settings.clusterName}-rw.${platform.namespaceName}.svc`;
    this.serve({
      // The program itself never connects (the layout runs in-cluster, PostgresLayoutJob): adminEndpoint = endpoint.
      endpoint: { host: pulumi.output(host), port: pulumi.output(POSTGRES_PORT) },
      admin: { username: pulumi.output("postgres"), password },
      tls: pulumi.output(true),
      readyResources: [this.cluster],
      deletedWith: this.cluster,
    });

    this.registerOutputs({ endpoint: this.endpoint, tls: this.tls });
  }
}
