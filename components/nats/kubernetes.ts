import { createHash } from "node:crypto";
import * as k8s from "../sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, type ServerContract } from "../contract";
import { dataChartRelease } from "../kubernetes/dataChartRelease";
import type { KubernetesPlatform } from "../platform";
import type { NatsAppUsers } from "./appUsers";
import { chartUsers, natsChartValues, quotedForEnv, ROUTE_BCRYPT_KEY, ROUTE_PASSWORD_KEY } from "./chartValues";
import { ADMIN_USER } from "./renderConf";
import { generatedPassword, type NatsPassword } from "./passwords";
import { NATS_CLIENT_PORT } from "./server";
import { NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import type { NatsKubernetesSettings, NatsSettings } from "./settings";

export interface NatsKubernetesServerArgs {
  readonly platform: KubernetesPlatform;
  readonly settings: NatsSettings;
  readonly kubernetes: NatsKubernetesSettings;
  readonly appUsers: NatsAppUsers;
  /** `stellaops-infra:rotation`: `nats.admin`, `nats.route`. */
  readonly rotation?: RotationTokens;
}

/** Pod annotation whose value changes whenever a credential does, so the StatefulSet rolls. */
export const CREDENTIALS_CHECKSUM_ANNOTATION = "stellaops.io/nats-credentials-checksum";

/**
 * NATS with JetStream from the official nats-io `nats` Helm chart: file store on a PVC per server, a JetStream
 * cluster when replicas ≥ 3 (routes authenticated), accounts and users merged into the chart's config, and the
 * bcrypt hashes (never plaintext) delivered from a Secret this component owns.
 */
export class NatsKubernetesServer extends ServerComponent implements ServerContract {
  public readonly credentialsSecret: k8s.core.v1.Secret;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: NatsKubernetesServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:nats:KubernetesServer", name, {}, opts);
    const { platform, settings, kubernetes } = args;
    const provider = platform.provider;

    const tokens = args.rotation ?? NO_ROTATION;
    const adminPassword = generatedPassword(
      `${name}-admin-password`,
      this,
      rotationToken(tokens, rotationId.natsAdmin),
    );
    const hashes = new Map<string, NatsPassword>([
      ...args.appUsers.users.map((u) => [u.spec.name, u] as const),
      [ADMIN_USER, adminPassword],
    ]);
    const specs = args.appUsers.users.map((u) => u.spec);
    const secretEntries: [string, pulumi.Output<string>][] = chartUsers(specs).map((u) => [
      u.key,
      (hashes.get(u.name) as NatsPassword).bcryptHash.apply(quotedForEnv),
    ]);
    if (kubernetes.replicas > 1) {
      const route = generatedPassword(`${name}-route-password`, this, rotationToken(tokens, rotationId.natsRoute));
      secretEntries.push(
        [ROUTE_PASSWORD_KEY, route.password],
        [ROUTE_BCRYPT_KEY, route.bcryptHash.apply(quotedForEnv)],
      );
    }

    const secretName = `${kubernetes.releaseName}-credentials`;
    this.credentialsSecret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: secretName, namespace: platform.namespace, labels: { ...platform.labels } },
        type: "Opaque",
        stringData: pulumi.secret(pulumi.output(Object.fromEntries(secretEntries))),
      },
      { parent: this, provider },
    );

    // A digest of bcrypt hashes and a random route password reveals none of them; unsecret keeps the plan readable.
    const checksum = pulumi.unsecret(
      pulumi.all(secretEntries.map(([key, value]) => value.apply((v) => `${key}=${v}`))).apply((lines) =>
        createHash("sha256")
          .update([...lines].sort().join("\n"))
          .digest("hex"),
      ),
    );

    const values = natsChartValues({
      settings,
      kubernetes,
      appUsers: specs,
      credentialsSecretName: secretName,
      platformStorageClass: platform.storageClass,
      imagePullSecrets: platform.imagePullSecrets,
      labels: platform.labels,
      podAnnotations: { [CREDENTIALS_CHECKSUM_ANNOTATION]: checksum },
    });

    // The release owns the JetStream volumes (StatefulSet claims, which Helm leaves behind on uninstall); its pods
    // are ready on /healthz.
    this.release = dataChartRelease(`${name}-release`, {
      platform,
      releaseName: kubernetes.releaseName,
      chart: kubernetes.chart,
      values,
      dependsOn: [this.credentialsSecret],
      parent: this,
    });

    const host = `${kubernetes.releaseName}.${platform.namespaceName}.svc`;
    this.serve({
      endpoint: { host: pulumi.output(host), port: pulumi.output(NATS_CLIENT_PORT) },
      admin: { username: pulumi.output(ADMIN_USER), password: adminPassword.password },
      tls: pulumi.output(kubernetes.tlsSecretName !== undefined),
      readyResources: [this.release],
      deletedWith: this.release,
    });
    this.registerOutputs({ endpoint: this.endpoint, adminUsername: this.admin.username, tls: this.tls });
  }
}
