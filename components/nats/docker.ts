import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { statefulResourceOptions, type AdminCredentials, type ServerContract, type ServerEndpoint } from "../contract";
import { dockerImage } from "../docker/image";
import type { DockerPlatform } from "../platform";
import type { NatsAppUsers } from "./appUsers";
import { ADMIN_USER, renderNatsServerConf, type NatsTlsFiles } from "./config";
import { generatedPassword } from "./passwords";
import { NATS_CLIENT_PORT } from "./server";
import { NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import type { NatsDockerSettings, NatsSettings } from "./settings";

/** The path the official image's default command reads; the upload replaces the image's sample file. */
export const CONF_PATH = "/etc/nats/nats-server.conf";
export const STORE_DIR = "/data";
/** Where docker.nats.tls.hostDir is mounted read-only (the same place as Valkey's). */
export const TLS_DIR = "/tls";

/** The files the operator's directory must hold, as nats-server sees them inside the container. */
export const DOCKER_TLS_FILES: NatsTlsFiles = {
  certFile: `${TLS_DIR}/tls.crt`,
  keyFile: `${TLS_DIR}/tls.key`,
  caFile: `${TLS_DIR}/ca.crt`,
};

/**
 * The container healthcheck: GET /healthz on the loopback monitoring endpoint, which answers 200 only once the
 * server accepts clients and JetStream is up. Uses busybox wget from the `-alpine` image: the scratch tags of
 * the official image hold nothing but nats-server, so they cannot run any probe. The monitoring endpoint is plain
 * HTTP whether or not the client port uses TLS, so the probe is the same with TLS on.
 */
export function dockerHealthcheckTest(monitorPort: number): string[] {
  return ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${monitorPort}/healthz`];
}

export interface NatsDockerServerArgs {
  readonly platform: DockerPlatform;
  readonly settings: NatsSettings;
  readonly docker: NatsDockerSettings;
  readonly appUsers: NatsAppUsers;
  /** `stellaops-infra:rotation`: `nats.admin`. */
  readonly rotation?: RotationTokens;
}

/** NATS with JetStream in one container on the platform's network, the store on a named volume. */
export class NatsDockerServer extends pulumi.ComponentResource implements ServerContract {
  public readonly endpoint: ServerEndpoint;
  public readonly adminEndpoint: ServerEndpoint;
  public readonly admin: AdminCredentials;
  public readonly tls: pulumi.Output<boolean>;
  public readonly readyResources: pulumi.Resource[];
  public readonly deletedWith: pulumi.Resource;
  public readonly volume: docker.Volume;
  public readonly container: docker.Container;
  /** The uploaded nats-server.conf: bcrypt hashes only, and still a secret because it is derived from passwords. */
  public readonly natsConf: pulumi.Output<string>;

  constructor(name: string, args: NatsDockerServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:nats:DockerServer", name, {}, opts);
    const { platform, settings } = args;
    const provider = platform.provider;
    const containerName = `${platform.namePrefix}-nats`;
    const publishMonitor = args.docker.monitorHostPort !== undefined;
    const tls = args.docker.tls;

    // New hashes change the uploaded nats-server.conf, which replaces the container (uploads are ForceNew).
    const adminPassword = generatedPassword(
      `${name}-admin-password`,
      this,
      rotationToken(args.rotation ?? NO_ROTATION, rotationId.natsAdmin),
    );
    const appUsers = args.appUsers.users;
    this.natsConf = pulumi
      .all([adminPassword.bcryptHash, ...appUsers.map((u) => u.bcryptHash)])
      .apply(([adminHash, ...appHashes]) =>
        renderNatsServerConf({
          serverName: containerName,
          // Inside the container's own network namespace; what is reachable from outside is decided by `ports`.
          listen: { host: "0.0.0.0", port: NATS_CLIENT_PORT },
          ...(tls ? { tls: DOCKER_TLS_FILES } : {}),
          // Loopback inside the container (the healthcheck's view) unless the operator asked to publish it.
          monitor: { host: publishMonitor ? "0.0.0.0" : "127.0.0.1", port: settings.monitorPort },
          jetstream: {
            storeDir: STORE_DIR,
            maxFileStore: settings.jetstream.maxFileStore,
            maxMemoryStore: settings.jetstream.maxMemoryStore,
          },
          appAccount: settings.account,
          appUsers: appUsers.map((u, i) => ({
            name: u.spec.name,
            password: appHashes[i],
            permissions: u.spec.permissions,
          })),
          systemUsers: [{ name: ADMIN_USER, password: adminHash }],
        }),
      );

    const labels = Object.entries(platform.labels).map(([label, value]) => ({ label, value }));
    // The volume's inputs depend on the name prefix only: no harmless edit may replace it (and the streams in it).
    this.volume = new docker.Volume(
      `${name}-data`,
      { name: `${platform.namePrefix}-nats-data`, labels },
      {
        parent: this,
        provider,
        ...statefulResourceOptions(platform.stateful),
        // Docker cannot relabel a volume: a label change would replace it, so labels are set at creation only.
        ignoreChanges: ["labels"],
      },
    );

    const image = dockerImage(`${name}-image`, args.docker.image, platform, this);
    const ports = [{ internal: NATS_CLIENT_PORT, external: args.docker.hostPort, ip: platform.bindAddress }];
    if (args.docker.monitorHostPort !== undefined) {
      ports.push({ internal: settings.monitorPort, external: args.docker.monitorHostPort, ip: platform.bindAddress });
    }
    this.container = new docker.Container(
      `${name}-server`,
      {
        name: containerName,
        image: image.imageId,
        command: ["nats-server", "--config", CONF_PATH],
        restart: "unless-stopped",
        networksAdvanced: [{ name: platform.network.name, aliases: ["nats"] }],
        ports,
        volumes: [
          { volumeName: this.volume.name, containerPath: STORE_DIR },
          // The operator's certificate and key, read in place: the key never enters Pulumi state.
          ...(tls ? [{ hostPath: tls.hostDir, containerPath: TLS_DIR, readOnly: true }] : []),
        ],
        uploads: [{ file: CONF_PATH, content: this.natsConf, permissions: "0644" }],
        healthcheck: {
          tests: dockerHealthcheckTest(settings.monitorPort),
          interval: "10s",
          timeout: "5s",
          retries: 6,
          // Recovering large streams at start takes a while; poll fast until the first success.
          startPeriod: "120s",
        },
        wait: true,
        waitTimeout: 300,
        // JetStream flushes its stores on SIGTERM; give it time before SIGKILL.
        stopTimeout: 60,
        labels,
      },
      { parent: this, provider },
    );

    this.endpoint = { host: this.container.name, port: pulumi.output(NATS_CLIENT_PORT) };
    this.adminEndpoint = { host: pulumi.output(platform.adminAddress), port: pulumi.output(args.docker.hostPort) };
    this.admin = { username: pulumi.output(ADMIN_USER), password: adminPassword.password };
    this.tls = pulumi.output(tls !== undefined);
    this.readyResources = [this.container];
    this.deletedWith = this.container;
    this.registerOutputs({
      endpoint: this.endpoint,
      adminEndpoint: this.adminEndpoint,
      adminUsername: this.admin.username,
      tls: this.tls,
    });
  }
}
