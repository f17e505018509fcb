import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { statefulResourceOptions } from "../contract";
import type { DockerPlatform } from "../platform";
import { dockerImage } from "./image";
import { dockerLogOptions } from "./logs";

/**
 * One data server on the Docker host, the way every area runs one: a named volume that outlives the container
 * (protect/retainOnDelete from config), the pinned image, and one container on the platform network with the
 * host's log rotation (`docker.logs`), `restart: unless-stopped` and a healthcheck that `pulumi up` waits on.
 *
 * Children are `<name>-data`, `<name>-image` and `<name>-server`; on the host the container is
 * `<namePrefix>-<hostName>` and the volume `<namePrefix>-<hostName>-data`, and the container answers to
 * `<hostName>` on the network. What a server adds (command, environment, uploaded files, ports, mounts) is its own.
 */

/**
 * The container healthcheck. No `startInterval`: the Docker API accepts it only from 1.44 (Engine 25), and the
 * floor this program supports is older (README, Docker Engine floor).
 */
export interface DockerHealthcheck {
  readonly tests: string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  /** Failures in this window do not count, so a slow start (WAL replay, AOF load) is not "unhealthy". */
  readonly startPeriod: string;
}

export interface DockerDataServerArgs {
  readonly platform: DockerPlatform;
  /** `postgres`, `valkey`, `rustfs`, `nats`: the container's network alias and the suffix of its host names. */
  readonly hostName: string;
  readonly image: string;
  /** Where the data volume is mounted in the container. */
  readonly dataPath: string;
  readonly volume: {
    /** The volume's driver, when it is set explicitly. */
    readonly driver?: string;
    /**
     * Labels the volume with the platform labels at creation (Docker cannot relabel a volume, so later label
     * edits are ignored, never a replacement). PostgreSQL's volume has always been created without labels.
     */
    readonly labelled: boolean;
  };
  readonly healthcheck: DockerHealthcheck;
  readonly command?: pulumi.Input<string[]>;
  readonly envs?: pulumi.Input<pulumi.Input<string>[]>;
  /** `uid:gid` the container runs as, when the image's own user must not be left to a mirror. */
  readonly user?: string;
  readonly ports: docker.types.input.ContainerPort[];
  readonly uploads?: docker.types.input.ContainerUpload[];
  /** Mounts besides the data volume (the operator's TLS directory, read-only). */
  readonly extraVolumes?: docker.types.input.ContainerVolume[];
  readonly stopSignal?: string;
  /** Seconds Docker waits after the stop signal before SIGKILL: time to flush the data to the volume. */
  readonly stopTimeout: number;
  readonly shmSize?: number;
  /** Resources the container must wait for besides its volume (PostgreSQL's major-version guard). */
  readonly dependsOn?: pulumi.Resource[];
}

export interface DockerDataServer {
  readonly volume: docker.Volume;
  readonly image: docker.RemoteImage;
  readonly container: docker.Container;
}

/** The volume, image and container of one data server, children of `parent`. */
export function dockerDataServer(name: string, args: DockerDataServerArgs, parent: pulumi.Resource): DockerDataServer {
  const { platform } = args;
  const provider = platform.provider;
  const labels = Object.entries(platform.labels).map(([label, value]) => ({ label, value }));

  // The volume's inputs depend on the name prefix only: no harmless edit may replace it (and the data in it).
  const volume = new docker.Volume(
    `${name}-data`,
    {
      name: `${platform.namePrefix}-${args.hostName}-data`,
      ...(args.volume.driver !== undefined ? { driver: args.volume.driver } : {}),
      ...(args.volume.labelled ? { labels } : {}),
    },
    {
      parent,
      provider,
      ...statefulResourceOptions(platform.stateful),
      ...(args.volume.labelled ? { ignoreChanges: ["labels"] } : {}),
    },
  );

  const image = dockerImage(`${name}-image`, args.image, platform, parent);
  const container = new docker.Container(
    `${name}-server`,
    {
      name: `${platform.namePrefix}-${args.hostName}`,
      image: image.imageId,
      ...(args.user !== undefined ? { user: args.user } : {}),
      ...(args.command !== undefined ? { command: args.command } : {}),
      ...(args.envs !== undefined ? { envs: args.envs } : {}),
      restart: "unless-stopped",
      networksAdvanced: [{ name: platform.network.name, aliases: [args.hostName] }],
      ports: args.ports,
      volumes: [{ volumeName: volume.name, containerPath: args.dataPath }, ...(args.extraVolumes ?? [])],
      ...(args.uploads !== undefined ? { uploads: args.uploads } : {}),
      healthcheck: { ...args.healthcheck },
      wait: true,
      waitTimeout: 300,
      // Rotated by size (docker.logs): Docker's default json-file log has no limit and fills the host's disk.
      ...dockerLogOptions(platform.logs),
      ...(args.shmSize !== undefined ? { shmSize: args.shmSize } : {}),
      ...(args.stopSignal !== undefined ? { stopSignal: args.stopSignal } : {}),
      stopTimeout: args.stopTimeout,
      labels,
    },
    { parent, provider, dependsOn: [volume, ...(args.dependsOn ?? [])] },
  );
  return { volume, image, container };
}
