import { beforeEach, describe, expect, it } from "vitest";
import { PostgresDockerServer } from "../../components/postgres/docker";
import {
  dockerStartCommand,
  SUPERUSER_PASSWORD_PATH,
  SUPERUSER_VERIFIER_PATH,
} from "../../components/postgres/dockerSuperuser";
import { stableScramVerifier } from "../../components/postgres/scram";
import { postgresDockerSettings, postgresSettings } from "../../components/postgres/settings";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  redactSecrets,
  resetRecorder,
  settled,
  testDockerPlatform,
  unwrapSecrets,
  valueOf,
} from "../harness";

function deploy(dockerRaw: object = {}, settingsRaw: object = {}) {
  const platform = testDockerPlatform({
    namePrefix: "stellaops-test",
    networkResourceName: "network",
    networkName: "stellaops-test",
    labels: { "stellaops.io/environment": "test" },
  });
  const server = new PostgresDockerServer("postgres", {
    platform,
    settings: postgresSettings.parse(settingsRaw),
    docker: postgresDockerSettings.parse(dockerRaw),
  });
  return { platform, server };
}

const VOLUME = "docker:index/volume:Volume";
const CONTAINER = "docker:index/container:Container";

describe("PostgresDockerServer", () => {
  beforeEach(() => resetRecorder());

  it("runs the pinned image with a named volume, healthcheck, restart policy and loopback port", async () => {
    deploy({ image: "registry.local/postgres:18.1", hostPort: 15432, maxConnections: 300, sharedBuffers: "1GB" });
    const records = await settled();
    assertUniqueUrns(records);
    const component = findResource("stellaops:postgres:DockerServer", "postgres");
    const provider = findResource("pulumi:providers:docker", "docker");
    const image = findResource("docker:index/remoteImage:RemoteImage", "postgres-image");
    expect(image.inputs).toMatchObject({ name: "registry.local/postgres:18.1", keepLocally: true });

    const volume = findResource(VOLUME, "postgres-data");
    expect(volume.inputs).toEqual({ name: "stellaops-test-postgres-data", driver: "local" });
    expect(volume.options).toMatchObject({ protect: true, retainOnDelete: true });

    const container = findResource(CONTAINER, "postgres-server");
    for (const r of [image, volume, container]) {
      expect(r.parent).toBe(component.urn);
      expect(r.provider).toBe(`${provider.urn}::docker-id`);
    }
    expect(unwrapSecrets(container.inputs)).toMatchObject({
      name: "stellaops-test-postgres",
      image: `sha256:${"0".repeat(64)}`,
      command: dockerStartCommand(["postgres", "-c", "max_connections=300", "-c", "shared_buffers=1GB"]),
      volumes: [{ volumeName: "stellaops-test-postgres-data", containerPath: "/var/lib/postgresql" }],
      networksAdvanced: [{ name: "stellaops-test", aliases: ["postgres"] }],
      ports: [{ internal: 5432, external: 15432, ip: "127.0.0.1", protocol: "tcp" }],
      healthcheck: { tests: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -p 5432 -U postgres -d postgres"] },
      wait: true,
      restart: "unless-stopped",
    });
    expect(container.dependencies).toContain(volume.urn);
  });

  it("generates the superuser password and passes it only as a secret file, never in the environment", async () => {
    const { server } = deploy();
    const records = await settled();
    const container = findResource(CONTAINER, "postgres-server");
    // What `docker inspect` shows: the file's path, not the password (the entrypoint's file_env reads it as root).
    expect(container.inputs["envs"]).toEqual([
      "POSTGRES_USER=postgres",
      "POSTGRES_PASSWORD_FILE=/etc/stellaops/postgres-superuser.password",
    ]);
    const uploads = container.inputs["uploads"] as Record<string, unknown>[];
    const passwordFile = uploads.find((u) => u["file"] === SUPERUSER_PASSWORD_PATH) as Record<string, unknown>;
    expect(passwordFile).toMatchObject({ permissions: "0400" });
    expect(isSecret(passwordFile["content"])).toBe(true);
    expect(unwrapSecrets(passwordFile["content"])).toMatch(/^fake-password-postgres-superuser-password/);
    expect(findResource("random:index/randomPassword:RandomPassword", "postgres-superuser-password").inputs).toEqual({
      length: 32,
      special: false,
    });
    expect(JSON.stringify(redactSecrets(records))).not.toContain("fake-password");
    expect(await isSecretOutput(server.admin.password)).toBe(true);
  });

  it("uploads the superuser's SCRAM verifier (root-only), which the start script applies to existing data", async () => {
    deploy();
    await settled();
    const container = findResource(CONTAINER, "postgres-server");
    const uploads = container.inputs["uploads"] as Record<string, unknown>[];
    expect(uploads.map((u) => u["file"])).toEqual([SUPERUSER_VERIFIER_PATH, SUPERUSER_PASSWORD_PATH]);
    const verifier = uploads[0];
    expect(verifier).toMatchObject({ file: SUPERUSER_VERIFIER_PATH, permissions: "0400" });
    expect(isSecret(verifier["content"])).toBe(true);
    const password = findResource("random:index/randomPassword:RandomPassword", "postgres-superuser-password");
    const plain = unwrapSecrets(uploads[1]["content"]) as string;
    expect(unwrapSecrets(verifier["content"])).toBe(stableScramVerifier("postgres", plain));
    expect(password.inputs).not.toHaveProperty("keepers");
    // The server command still ends the container's command line, after the script.
    const command = container.inputs["command"] as string[];
    expect(command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(command[2]).toContain(SUPERUSER_VERIFIER_PATH);
    expect(command[2]).toContain('exec docker-entrypoint.sh "$@"');
    expect(command.slice(4)).toEqual(["postgres", "-c", "max_connections=200", "-c", "shared_buffers=256MB"]);
  });

  it("exposes the contract: network endpoint, loopback admin endpoint, no TLS, ready when the container is healthy", async () => {
    const { server } = deploy({ hostPort: 15432 });
    await settled();
    const container = findResource(CONTAINER, "postgres-server");
    expect(await valueOf(server.endpoint.host)).toBe("stellaops-test-postgres");
    expect(await valueOf(server.endpoint.port)).toBe(5432);
    expect(await valueOf(server.adminEndpoint.host)).toBe("127.0.0.1");
    expect(await valueOf(server.adminEndpoint.port)).toBe(15432);
    expect(await valueOf(server.admin.username)).toBe("postgres");
    expect(await valueOf(server.tls)).toBe(false);
    expect(server.adminIsSuperuser).toBe(true);
    expect(server.readyResources.length).toBe(1);
    expect(await valueOf(server.readyResources[0].urn)).toBe(container.urn);
  });

  it("mounts where the image keeps its data: /var/lib/postgresql from 18, /var/lib/postgresql/data before", async () => {
    deploy({ image: "postgres:16.6" }, { version: "16.6" });
    await settled();
    expect(unwrapSecrets(findResource(CONTAINER, "postgres-server").inputs["volumes"])).toEqual([
      { volumeName: "stellaops-test-postgres-data", containerPath: "/var/lib/postgresql/data" },
    ]);
  });

  it("keeps the volume's inputs unchanged when unrelated settings change", async () => {
    deploy();
    await settled();
    const before = findResource(VOLUME, "postgres-data");
    const containerBefore = findResource(CONTAINER, "postgres-server");
    resetRecorder();
    deploy(
      { hostPort: 25432, maxConnections: 500, sharedBuffers: "2GB", image: "postgres:18.2", shmSizeMb: 512 },
      { roleDefaults: { connectionLimit: 10 }, readGrants: [{ service: "notify", schema: "scheduler" }] },
    );
    await settled();
    const after = findResource(VOLUME, "postgres-data");
    expect(after.inputs).toEqual(before.inputs);
    expect(after.options).toEqual(before.options);
    // The container does change (and may be replaced): that is the point of keeping data in the volume.
    expect(findResource(CONTAINER, "postgres-server").inputs).not.toEqual(containerBefore.inputs);
  });
});
