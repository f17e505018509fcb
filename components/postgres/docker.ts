import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent } from "../contract";
import { dockerDataServer } from "../docker/dataServer";
import type { DockerPlatform } from "../platform";
import type { RotationTokens } from "../rotation";
import { majorOf } from "../settingsCommon";
import { majorVersionGuard } from "./majorGuard";
import { dockerStartCommand, SUPERUSER_PASSWORD_PATH, SUPERUSER_VERIFIER_PATH } from "./dockerSuperuser";
import { POSTGRES_PASSWORD_FILE_ENV } from "./imageFacts";
import { adminPassword } from "./passwords";
import { stableScramVerifier } from "./scram";
import { POSTGRES_PORT, type PostgresServer } from "./server";
import type { PostgresDockerSettings, PostgresSettings } from "./settings";

export interface PostgresDockerServerArgs {
  readonly platform: DockerPlatform;
  /** `stellaops-infra:postgres` (the version decides where the data directory lives). */
  readonly settings: PostgresSettings;
  /** `stellaops-infra:docker.postgres` */
  readonly docker: PostgresDockerSettings;
  /** `stellaops-infra:rotation`: `postgres.admin` renews the superuser password. */
  readonly rotation?: RotationTokens;
}

/**
 * Where the official image keeps its data. From 18 on the image declares `/var/lib/postgresql` as its volume and
 * puts PGDATA in a major-versioned directory below it (so pg_upgrade --link can work in place); before 18 the
 * volume is `/var/lib/postgresql/data`. Mounting anywhere else would leave the data in an anonymous volume.
 */
export function dockerDataMountPath(postgresVersion: string): string {
  return majorOf(postgresVersion) >= 18 ? "/var/lib/postgresql" : "/var/lib/postgresql/data";
}

/** Server settings passed as `postgres -c key=value` arguments. */
export function dockerServerCommand(settings: PostgresDockerSettings): string[] {
  return [
    "postgres",
    "-c",
    `max_connections=${settings.maxConnections}`,
    "-c",
    `shared_buffers=${settings.sharedBuffers}`,
  ];
}

/**
 * PostgreSQL in one container on the platform network: a pinned image, a named volume that outlives the container,
 * a generated superuser password, and a healthcheck Pulumi waits on before anything uses the server.
 */
export class PostgresDockerServer extends ServerComponent implements PostgresServer {
  public readonly adminIsSuperuser = true;
  public readonly container: docker.Container;
  public readonly volume: docker.Volume;

  constructor(name: string, args: PostgresDockerServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:postgres:DockerServer", name, {}, opts);
    const { platform, settings } = args;
    const dockerSettings = args.docker;
    // That the image runs postgres.version's major (else the data would land on an anonymous volume) is a rule of
    // the loader's (imageMajorProblems in profiles/componentRules.ts).
    const majorGuard = majorVersionGuard(
      name,
      { major: majorOf(settings.version), allowMajorUpgradeTo: settings.allowMajorUpgradeTo, platform: "docker" },
      this,
    );

    const superuserPassword = adminPassword(`${name}-superuser-password`, this, args.rotation);
    const password = pulumi.secret(superuserPassword.result);
    const server = dockerDataServer(
      name,
      {
        platform,
        hostName: "postgres",
        image: dockerSettings.image,
        dataPath: dockerDataMountPath(settings.version),
        // Only the name and driver: no labels or options derived from other settings, so no harmless edit can
        // replace it.
        volume: { driver: "local", labelled: false },
        // The image sets host connections to scram-sha-256 when a password is given; the socket stays `trust`
        // inside the container (only `docker exec` reaches it, which needs Docker access anyway).
        // The password is an uploaded root-only file, so `docker inspect` shows its path only: the entrypoint
        // reads POSTGRES_PASSWORD_FILE as root before it drops to the postgres user (imageFacts.ts). It counts only
        // when the image initialises an empty data directory; on every later start the command's script sets the
        // uploaded verifier first (dockerSuperuser.ts), so a rotation reaches it.
        envs: ["POSTGRES_USER=postgres", `${POSTGRES_PASSWORD_FILE_ENV}=${SUPERUSER_PASSWORD_PATH}`],
        command: dockerStartCommand(dockerServerCommand(dockerSettings)),
        uploads: [
          {
            file: SUPERUSER_VERIFIER_PATH,
            content: pulumi.secret(password.apply((pw) => stableScramVerifier("postgres", pw))),
            permissions: "0400",
          },
          { file: SUPERUSER_PASSWORD_PATH, content: password, permissions: "0400" },
        ],
        ports: [
          { internal: POSTGRES_PORT, external: dockerSettings.hostPort, ip: platform.bindAddress, protocol: "tcp" },
        ],
        // Over TCP on purpose: during first-start initialisation the entrypoint's temporary server listens on
        // the socket only, so this does not report healthy before the real server is up.
        healthcheck: {
          tests: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -p 5432 -U postgres -d postgres"],
          interval: "5s",
          timeout: "5s",
          retries: 30,
          startPeriod: "30s",
        },
        shmSize: dockerSettings.shmSizeMb,
        // PostgreSQL's fast shutdown; give it time to checkpoint before Docker kills it.
        stopSignal: "SIGINT",
        stopTimeout: 60,
        // The guard first: a refused major change stops `up` before the container is replaced.
        dependsOn: [majorGuard],
      },
      this,
    );
    this.volume = server.volume;
    this.container = server.container;

    this.serve({
      endpoint: { host: this.container.name, port: pulumi.output(POSTGRES_PORT) },
      adminEndpoint: { host: pulumi.output(platform.adminAddress), port: pulumi.output(dockerSettings.hostPort) },
      admin: { username: pulumi.output("postgres"), password },
      tls: pulumi.output(false),
      readyResources: [this.container],
      deletedWith: this.container,
    });

    this.registerOutputs({ endpoint: this.endpoint, adminEndpoint: this.adminEndpoint, tls: this.tls });
  }
}
