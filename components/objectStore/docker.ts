import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent } from "../contract";
import { dockerDataServer } from "../docker/dataServer";
import type { DockerPlatform } from "../platform";
import { NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import {
  generatedRustfsCredentials,
  RUSTFS_ACCESS_KEY_PATH,
  RUSTFS_DATA_DIR,
  RUSTFS_NO_UPDATE_CHECK,
  RUSTFS_SECRET_KEY_PATH,
  RUSTFS_UID,
} from "./rustfs";
import {
  RUSTFS_ACCESS_KEY_FILE_ENV,
  RUSTFS_LOGS_TO_STDOUT,
  RUSTFS_READINESS_PATH,
  RUSTFS_SECRET_KEY_FILE_ENV,
} from "./rustfsFacts";
import { s3BaseUrl, type ObjectStoreServer } from "./server";
import type { ObjectStoreDockerSettings } from "./settings";

/** Console port inside the container (RustFS's default), published only when the console is enabled. */
export const RUSTFS_CONSOLE_PORT = 9001;

/**
 * The container healthcheck, which `wait: true` (and so the bucket layout) waits on: GET /health/ready on the S3
 * port from inside the container, 503 until storage and IAM are ready (/health answers 200 before that). The
 * rustfs/rustfs image is Alpine with curl installed (its Dockerfile's runtime stage: `apk add ... curl`).
 */
export function rustfsHealthcheckTest(port: number): string[] {
  return ["CMD", "curl", "-fsS", "-o", "/dev/null", `http://127.0.0.1:${port}${RUSTFS_READINESS_PATH}`];
}

/**
 * RustFS's settings as environment variables. No secret among them: the root keys are uploaded files the
 * `*_FILE` variables point at, so `docker inspect` shows paths, not keys.
 */
export function rustfsEnvironment(settings: ObjectStoreDockerSettings): string[] {
  return [
    `${RUSTFS_ACCESS_KEY_FILE_ENV}=${RUSTFS_ACCESS_KEY_PATH}`,
    `${RUSTFS_SECRET_KEY_FILE_ENV}=${RUSTFS_SECRET_KEY_PATH}`,
    `RUSTFS_ADDRESS=:${settings.port}`,
    `RUSTFS_VOLUMES=${RUSTFS_DATA_DIR}`,
    `RUSTFS_REGION=${settings.region}`,
    `RUSTFS_CONSOLE_ENABLE=${settings.consoleEnabled}`,
    `${RUSTFS_NO_UPDATE_CHECK.name}=${RUSTFS_NO_UPDATE_CHECK.value}`,
    // Logs to stdout (the container's log, rotated by docker.logs), not to files in the container layer.
    `${RUSTFS_LOGS_TO_STDOUT.name}=${RUSTFS_LOGS_TO_STDOUT.value}`,
    ...(settings.consoleEnabled ? [`RUSTFS_CONSOLE_ADDRESS=:${RUSTFS_CONSOLE_PORT}`] : []),
  ];
}

export interface ObjectStoreDockerServerArgs {
  readonly platform: DockerPlatform;
  readonly docker: ObjectStoreDockerSettings;
  /** `stellaops-infra:rotation`; `objectStore.root` renews the root keys (the container is recreated with them). */
  readonly rotation?: RotationTokens;
}

/**
 * RustFS in one container on the platform's network, data on a named volume, generated root credentials.
 *
 * Volume ownership: the container runs as uid 10001 (set explicitly, so a mirrored image without `USER` still
 * does not run as root). A new, empty named volume mounted where the image has a directory is initialised by
 * Docker with that directory's contents, owner and mode, and the image creates /data as rustfs:rustfs (0750).
 * So the volume is writable by 10001 from its first mount, with no root init step. (That copy-up happens only
 * for empty named volumes; a bind mount or a pre-filled volume must be chowned to 10001 by the operator.)
 */
export class ObjectStoreDockerServer extends ServerComponent implements ObjectStoreServer {
  public readonly backend = "rustfs" as const;
  public readonly region: pulumi.Output<string>;
  public readonly pathStyle = true;
  public readonly https = false;
  public readonly serviceUrl: pulumi.Output<string>;
  public readonly adminUrl: pulumi.Output<string>;
  public readonly volume: docker.Volume;
  public readonly container: docker.Container;

  constructor(name: string, args: ObjectStoreDockerServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:objectStore:DockerServer", name, {}, opts);
    const { platform, docker: settings } = args;
    // New keys change the uploaded key files, which replaces the container (uploads are ForceNew in the Docker
    // provider), and RustFS reads its root keys from those files at start.
    const credentials = generatedRustfsCredentials(
      name,
      this,
      rotationToken(args.rotation ?? NO_ROTATION, rotationId.objectStoreRoot),
    );

    const ports = [{ internal: settings.port, external: settings.hostPort, ip: platform.bindAddress }];
    if (settings.consoleEnabled) {
      ports.push({ internal: RUSTFS_CONSOLE_PORT, external: settings.consoleHostPort, ip: platform.bindAddress });
    }
    const server = dockerDataServer(
      name,
      {
        platform,
        hostName: "rustfs",
        image: settings.image,
        dataPath: RUSTFS_DATA_DIR,
        volume: { labelled: true },
        // The uid:gid the image creates (`adduser -u 10001`) and runs as; explicit so no mirror can make it root.
        user: `${RUSTFS_UID}:${RUSTFS_UID}`,
        envs: rustfsEnvironment(settings),
        // Owned by root (the provider's upload archive carries uid 0) and readable by all: the container runs
        // only uid 10001, which must read them (the entrypoint checks `-r`), and no other user exists in it.
        uploads: [
          { file: RUSTFS_ACCESS_KEY_PATH, content: credentials.accessKey, permissions: "0444" },
          { file: RUSTFS_SECRET_KEY_PATH, content: credentials.secretKey, permissions: "0444" },
        ],
        ports,
        healthcheck: {
          tests: rustfsHealthcheckTest(settings.port),
          interval: "10s",
          timeout: "5s",
          retries: 6,
          startPeriod: "60s",
        },
        // Let RustFS finish in-flight writes before SIGKILL.
        stopTimeout: 30,
      },
      this,
    );
    this.volume = server.volume;
    this.container = server.container;

    this.serve({
      endpoint: { host: this.container.name, port: pulumi.output(settings.port) },
      adminEndpoint: { host: pulumi.output(platform.adminAddress), port: pulumi.output(settings.hostPort) },
      admin: { username: credentials.accessKey, password: credentials.secretKey },
      tls: pulumi.output(false),
      readyResources: [this.container],
      deletedWith: this.container,
    });
    this.region = pulumi.output(settings.region);
    this.serviceUrl = s3BaseUrl(false, this.endpoint.host, this.endpoint.port);
    this.adminUrl = s3BaseUrl(false, this.adminEndpoint.host, this.adminEndpoint.port);
    this.registerOutputs({
      endpoint: this.endpoint,
      adminEndpoint: this.adminEndpoint,
      serviceUrl: this.serviceUrl,
      tls: this.tls,
    });
  }
}
