import * as k8s from "../sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, type ServerContract } from "../contract";
import { dataChartRelease } from "../kubernetes/dataChartRelease";
import type { KubernetesPlatform } from "../platform";
import { assertDistinctUsers, serverAclUsers } from "./model";
import type { ValkeyAppUsers } from "./appUsers";
import { valkeyChartValues } from "./chartValues";
import { generatedPassword } from "./passwords";
import { credentialFingerprintOutput, NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import type { ValkeyKubernetesSettings, ValkeySettings } from "./settings";

export const VALKEY_SERVICE_PORT = 6379;
/**
 * Pod annotation carrying a fingerprint of every ACL user's password. The chart builds the ACL file from the
 * users Secret in an init container and its own checksums cover only its templates, so without this a changed
 * password would never reach the running server.
 */
export const VALKEY_CREDENTIALS_ANNOTATION = "stellaops.io/valkey-credentials-checksum";

export interface ValkeyKubernetesServerArgs {
  readonly platform: KubernetesPlatform;
  readonly settings: ValkeySettings;
  readonly kubernetes: ValkeyKubernetesSettings;
  readonly appUsers: ValkeyAppUsers;
  /** `stellaops-infra:rotation`: `valkey.default`, `valkey.admin`, `valkey.replication`. */
  readonly rotation?: RotationTokens;
}

/**
 * Valkey from the valkey-io `valkey` Helm chart: ACL users from a Secret this component owns, persistent
 * volumes, the rendered durability config, and read replicas when configured. Replicas only, no Sentinel: a lost
 * primary is restarted by Kubernetes on its volume, not failed over (the chart's Sentinel mode would need clients to
 * find the primary through Sentinel, which the output contract does not carry; see docs/valkey.md).
 */
export class ValkeyKubernetesServer extends ServerComponent implements ServerContract {
  public readonly usersSecret: k8s.core.v1.Secret;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ValkeyKubernetesServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:valkey:KubernetesServer", name, {}, opts);
    const { platform, settings, kubernetes } = args;
    const provider = platform.provider;

    // Passwords named by role, so renaming a user keeps its password. The default user's is required by the
    // chart but unusable: its permissions end in `off resetpass`.
    const serverUsers = serverAclUsers({ platform: "kubernetes", replicas: kubernetes.replicas }, settings.adminUser);
    assertDistinctUsers([...serverUsers, ...args.appUsers.users.map((u) => u.user)]);
    const serverPasswords = serverUsers.map((user) => ({
      user,
      password: generatedPassword(
        `${name}-${user.role}-password`,
        this,
        rotationToken(args.rotation ?? NO_ROTATION, rotationId.valkeyServerUser(user.role)),
      ).password,
    }));
    const adminPassword = serverPasswords.find((u) => u.user.role === "admin")?.password;
    if (adminPassword === undefined) throw new Error("the Kubernetes Valkey server has no admin user");
    const all = [...serverPasswords, ...args.appUsers.users.map((u) => ({ user: u.user, password: u.password }))];

    const secretName = `${kubernetes.releaseName}-users`;
    this.usersSecret = new k8s.core.v1.Secret(
      `${name}-users`,
      {
        metadata: { name: secretName, namespace: platform.namespace, labels: { ...platform.labels } },
        type: "Opaque",
        // One key per ACL user, named after it: the chart's usersExistingSecret convention.
        stringData: pulumi.secret(Object.fromEntries(all.map((u) => [u.user.name, u.password]))),
      },
      { parent: this, provider },
    );

    const values = valkeyChartValues({
      settings,
      kubernetes,
      users: all.map((u) => u.user),
      usersSecretName: secretName,
      replicationUser: serverUsers.find((u) => u.role === "replication")?.name,
      storageClass: platform.storageClass,
      imagePullSecrets: platform.imagePullSecrets,
      labels: platform.labels,
      keepVolume: platform.stateful.protect || platform.stateful.retainOnDelete,
      podAnnotations: {
        [VALKEY_CREDENTIALS_ANNOTATION]: credentialFingerprintOutput(
          Object.fromEntries(all.map((u) => [u.user.name, u.password])),
        ),
      },
    });

    // The release owns the data volumes.
    this.release = dataChartRelease(`${name}-release`, {
      platform,
      releaseName: kubernetes.releaseName,
      chart: kubernetes.chart,
      values,
      dependsOn: [this.usersSecret],
      parent: this,
    });

    const host = `${kubernetes.releaseName}.${platform.namespaceName}.svc`;
    this.serve({
      endpoint: { host: pulumi.output(host), port: pulumi.output(VALKEY_SERVICE_PORT) },
      admin: { username: pulumi.output(settings.adminUser), password: adminPassword },
      tls: pulumi.output(kubernetes.tlsSecretName !== undefined),
      readyResources: [this.release],
      deletedWith: this.release,
    });
    this.registerOutputs({ endpoint: this.endpoint, adminUsername: this.admin.username, tls: this.tls });
  }
}
