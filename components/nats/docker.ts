import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, type ServerContract } from "../contract";
import { dockerDataServer } from "../docker/dataServer";
import type { DockerPlatform } from "../platform";
import type { NatsAppUsers } from "./appUsers";
import { ADMIN_USER, renderNatsServerConf, type NatsTlsFiles } from "./renderConf";
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
export class NatsDockerServer extends ServerComponent implements ServerContract {
  public readonly volume: docker.Volume;
  public readonly container: docker.Container;
  /** The uploaded nats-server.conf: bcrypt hashes only, and still a secret because it is derived from passwords. */
  public readonly natsConf: pulumi.Output<string>;

  constructor(name: string, args: NatsDockerServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:nats:DockerServer", name, {}, opts);
    const { platform, settings } = args;
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

    const ports = [{ internal: NATS_CLIENT_PORT, external: args.docker.hostPort, ip: platform.bindAddress }];
    if (args.docker.monitorHostPort !== undefined) {
      ports.push({ internal: settings.monitorPort, external: args.docker.monitorHostPort, ip: platform.bindAddress });
    }
    const server = dockerDataServer(
      name,
      {
        platform,
        hostName: "nats",
        image: args.docker.image,
        dataPath: STORE_DIR,
        volume: { labelled: true },
        command: ["nats-server", "--config", CONF_PATH],
        ports,
        // The operator's certificate and key, read in place: the key never enters Pulumi state.
        extraVolumes: tls ? [{ hostPath: tls.hostDir, containerPath: TLS_DIR, readOnly: true }] : [],
        uploads: [{ file: CONF_PATH, content: this.natsConf, permissions: "0644" }],
        healthcheck: {
          tests: dockerHealthcheckTest(settings.monitorPort),
          interval: "10s",
          timeout: "5s",
          retries: 6,
          // Recovering large streams at start takes a while; poll fast until the first success.
          startPeriod: "120s",
        },
        // JetStream flushes its stores on SIGTERM; give it time before SIGKILL.
        stopTimeout: 60,
      },
      this,
    );
    this.volume = server.volume;
    this.container = server.container;

    this.serve({
      endpoint: { host: this.container.name, port: pulumi.output(NATS_CLIENT_PORT) },
      adminEndpoint: { host: pulumi.output(platform.adminAddress), port: pulumi.output(args.docker.hostPort) },
      admin: { username: pulumi.output(ADMIN_USER), password: adminPassword.password },
      tls: pulumi.output(tls !== undefined),
      readyResources: [this.container],
      deletedWith: this.container,
    });
    this.registerOutputs({
      endpoint: this.endpoint,
      adminEndpoint: this.adminEndpoint,
      adminUsername: this.admin.username,
      tls: this.tls,
    });
  }
}
