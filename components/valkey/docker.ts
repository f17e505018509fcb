import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, type ServerContract } from "../contract";
import { dockerDataServer } from "../docker/dataServer";
import type { DockerPlatform } from "../platform";
import { assertDistinctUsers, HEALTHCHECK_ACL_USER, serverAclUsers, type AclUser } from "./model";
import { renderAclFile } from "./renderAcl";
import type { ValkeyAppUsers } from "./appUsers";
import { renderValkeyConf } from "./renderConf";
import { generatedPassword } from "./passwords";
import { NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import type { ValkeyDockerSettings, ValkeySettings } from "./settings";

/** Paths inside the container. */
export const VALKEY_CONTAINER_PORT = 6379;
export const CONF_PATH = "/etc/valkey/valkey.conf";
export const ACL_PATH = "/etc/valkey/users.acl";
/** Password of the PING-only healthcheck user, readable by root (the healthcheck) only. */
export const HEALTHCHECK_PASSWORD_PATH = "/etc/valkey/healthcheck.pass";
const TLS_DIR = "/tls";

/**
 * The container healthcheck: authenticates as the PING-only `healthcheck` user with the password read from a
 * root-only file into REDISCLI_AUTH, so no password appears in the container's command line, its environment
 * or `docker inspect`. A server still loading its AOF answers LOADING, not PONG, and counts as not ready.
 */
export function dockerHealthcheckTest(tls: boolean): string[] {
  return [
    "CMD-SHELL",
    healthcheckShellCommand({ port: VALKEY_CONTAINER_PORT, passwordFile: HEALTHCHECK_PASSWORD_PATH, tls }),
  ];
}

/** The shell command behind the healthcheck; exits 0 only when the server answers PONG to the healthcheck user. */
export function healthcheckShellCommand(o: { port: number; passwordFile: string; tls: boolean }): string {
  const tlsFlags = o.tls ? ` --tls --cacert ${TLS_DIR}/ca.crt` : "";
  return `REDISCLI_AUTH="$(cat ${o.passwordFile})" valkey-cli${tlsFlags} --no-auth-warning --user ${HEALTHCHECK_ACL_USER.name} -p ${o.port} ping | grep -q PONG`;
}

export interface ValkeyDockerServerArgs {
  readonly platform: DockerPlatform;
  readonly settings: ValkeySettings;
  readonly docker: ValkeyDockerSettings;
  readonly appUsers: ValkeyAppUsers;
  /** `stellaops-infra:rotation`: `valkey.admin`, `valkey.healthcheck`. */
  readonly rotation?: RotationTokens;
}

/** Valkey in one container on the platform's network, data on a named volume, ACLs from an uploaded file. */
export class ValkeyDockerServer extends ServerComponent implements ServerContract {
  public readonly volume: docker.Volume;
  public readonly container: docker.Container;
  /** The rendered valkey.conf (no credentials in it), for the plan and for reviewers. */
  public readonly valkeyConf: string;

  constructor(name: string, args: ValkeyDockerServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:valkey:DockerServer", name, {}, opts);
    const { platform, settings } = args;
    const tlsEnabled = args.docker.tls !== undefined;

    const serverUsers = serverAclUsers({ platform: "docker" }, settings.adminUser);
    assertDistinctUsers([...serverUsers, ...args.appUsers.users.map((u) => u.user)]);
    const tokenOf = (role: AclUser["role"]) =>
      rotationToken(args.rotation ?? NO_ROTATION, rotationId.valkeyServerUser(role));
    // A new password changes the uploaded ACL (or healthcheck) file, which replaces the container (uploads are
    // ForceNew in the Docker provider); Valkey reads the ACL file at start.
    const adminPassword = generatedPassword(`${name}-admin-password`, this, tokenOf("admin"));
    const healthcheckPassword = generatedPassword(`${name}-healthcheck-password`, this, tokenOf("healthcheck"));
    // The disabled default user has no password at all; the others log in with theirs.
    const sha256Of: Partial<Record<AclUser["role"], pulumi.Output<string>>> = {
      admin: adminPassword.sha256,
      healthcheck: healthcheckPassword.sha256,
    };
    const users: { user: AclUser; sha256: pulumi.Output<string> | undefined }[] = [
      ...serverUsers.map((user) => ({ user, sha256: sha256Of[user.role] })),
      ...args.appUsers.users.map((u) => ({ user: u.user, sha256: u.sha256 })),
    ];
    // Secret because it is computed from secret passwords, although it holds only their SHA-256 hashes.
    const aclFile = pulumi
      .all(users.map((u) => u.sha256))
      .apply((hashes) => renderAclFile(users.map((u, i) => ({ user: u.user, passwordSha256: hashes[i] }))));

    this.valkeyConf = renderValkeyConf({
      settings,
      port: VALKEY_CONTAINER_PORT,
      // Inside the container's own network namespace; what is reachable from outside is decided by `ports`.
      bind: ["*", "-::*"],
      dir: "/data",
      aclFile: ACL_PATH,
      tls: tlsEnabled
        ? { certFile: `${TLS_DIR}/tls.crt`, keyFile: `${TLS_DIR}/tls.key`, caFile: `${TLS_DIR}/ca.crt` }
        : undefined,
    });

    const server = dockerDataServer(
      name,
      {
        platform,
        hostName: "valkey",
        image: args.docker.image,
        dataPath: "/data",
        volume: { labelled: true },
        command: ["valkey-server", CONF_PATH],
        ports: [{ internal: VALKEY_CONTAINER_PORT, external: args.docker.hostPort, ip: platform.bindAddress }],
        extraVolumes: args.docker.tls
          ? [{ hostPath: args.docker.tls.hostDir, containerPath: TLS_DIR, readOnly: true }]
          : [],
        uploads: [
          { file: CONF_PATH, content: this.valkeyConf, permissions: "0644" },
          // Hashes only; readable by the valkey user the image's entrypoint drops to.
          { file: ACL_PATH, content: aclFile, permissions: "0644" },
          { file: HEALTHCHECK_PASSWORD_PATH, content: healthcheckPassword.password, permissions: "0400" },
        ],
        healthcheck: {
          tests: dockerHealthcheckTest(tlsEnabled),
          interval: "10s",
          timeout: "5s",
          retries: 6,
          // Loading a large AOF takes a while; the healthcheck polls fast until the first success.
          startPeriod: "120s",
        },
        // Valkey writes the AOF tail and a final RDB on SIGTERM; give it time before SIGKILL.
        stopTimeout: 60,
      },
      this,
    );
    this.volume = server.volume;
    this.container = server.container;

    this.serve({
      endpoint: { host: this.container.name, port: pulumi.output(VALKEY_CONTAINER_PORT) },
      adminEndpoint: { host: pulumi.output(platform.adminAddress), port: pulumi.output(args.docker.hostPort) },
      admin: { username: pulumi.output(settings.adminUser), password: adminPassword.password },
      tls: pulumi.output(tlsEnabled),
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
