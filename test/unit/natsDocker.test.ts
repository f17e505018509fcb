import { beforeEach, describe, expect, it } from "vitest";
import { NatsAppUsers } from "../../components/nats/appUsers";
import { natsServiceConnections } from "../../components/nats/connections";
import { CONF_PATH, NatsDockerServer, STORE_DIR } from "../../components/nats/docker";
import { natsDockerSettings, natsSettings } from "../../components/nats/settings";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  resetRecorder,
  resourcesOfType,
  settled,
  testDockerPlatform,
  unwrapSecrets,
  valueOf,
  type RecordedResource,
} from "../harness";

function build(settingsInput: object = {}, dockerInput: object = {}, labels?: Record<string, string>) {
  const settings = natsSettings.parse({ enabled: true, ...settingsInput });
  const appUsers = new NatsAppUsers("nats-users", { settings });
  const server = new NatsDockerServer("nats", {
    platform: testDockerPlatform({ labels: labels ?? { "stellaops.io/environment": "dev" } }),
    settings,
    docker: natsDockerSettings.parse(dockerInput),
    appUsers,
  });
  return { server, appUsers, connections: natsServiceConnections(server, appUsers) };
}

interface Upload {
  file: string;
  content: unknown;
  permissions?: string;
}

function uploadedConf(container: RecordedResource): { secret: boolean; text: string } {
  const uploads = container.inputs["uploads"] as Upload[];
  expect(uploads.map((u) => u.file)).toEqual([CONF_PATH]);
  return { secret: isSecret(uploads[0].content), text: String(unwrapSecrets(uploads[0].content)) };
}

function passwordsOf(records: RecordedResource[]): { results: string[]; hashes: string[] } {
  const passwords = records.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
  // The fake provider's outputs (see plan/engine/fakes/core.ts).
  return {
    results: passwords.map((p) => `fake-password-${p.name}`),
    hashes: passwords.map((p) => `$2a$10$fake.${p.name}`),
  };
}

describe("NatsDockerServer", () => {
  beforeEach(() => resetRecorder());

  it("runs the pinned image with the rendered config uploaded, the store on a named volume and a /healthz healthcheck", async () => {
    build();
    const records = await settled();
    assertUniqueUrns(records);
    const component = findResource("stellaops:nats:DockerServer", "nats");
    const container = findResource("docker:index/container:Container", "nats-server");
    const volume = findResource("docker:index/volume:Volume", "nats-data");
    const image = findResource("docker:index/remoteImage:RemoteImage", "nats-image");
    const provider = findResource("pulumi:providers:docker", "docker");
    for (const child of [container, volume, image]) {
      expect(child.parent).toBe(component.urn);
      expect(child.provider).toBe(`${provider.urn}::docker-id`);
    }
    expect(image.inputs).toMatchObject({ name: "nats:2.12.1-alpine", keepLocally: true });
    expect(container.inputs).toMatchObject({
      name: "stellaops-dev-nats",
      image: `sha256:${"0".repeat(64)}`,
      command: ["nats-server", "--config", CONF_PATH],
      restart: "unless-stopped",
      wait: true,
      networksAdvanced: [{ name: "stellaops-dev", aliases: ["nats"] }],
      volumes: [{ volumeName: "stellaops-dev-nats-data", containerPath: STORE_DIR }],
      healthcheck: { tests: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8222/healthz"] },
    });
    // Only the client port is published, and only on the bind address.
    expect(container.inputs["ports"]).toEqual([{ internal: 4222, external: 4222, ip: "127.0.0.1" }]);
    expect(volume.inputs).toMatchObject({ name: "stellaops-dev-nats-data" });
    expect(volume.options).toMatchObject({ protect: true, retainOnDelete: true, ignoreChanges: ["labels"] });
    // Passwords are children of the components that own them.
    const users = findResource("stellaops:nats:AppUsers", "nats-users");
    expect(findResource("random:index/randomPassword:RandomPassword", "nats-users-stellaops").parent).toBe(users.urn);
    expect(findResource("random:index/randomPassword:RandomPassword", "nats-admin-password").parent).toBe(
      component.urn,
    );
  });

  it("uploads a config holding bcrypt hashes only, as a secret input", async () => {
    build({ userMode: "per-service" });
    const records = await settled();
    const { secret, text } = uploadedConf(findResource("docker:index/container:Container", "nats-server"));
    expect(secret).toBe(true);
    const { results, hashes } = passwordsOf(records);
    expect(hashes).toHaveLength(3); // scanner, scheduler, admin
    for (const hash of hashes) expect(text).toContain(`password: "${hash}"`);
    for (const plain of results) expect(text).not.toContain(plain);
    expect(text).toContain('http: "127.0.0.1:8222"');
    expect(text).toContain('listen: "0.0.0.0:4222"');
    expect(text).toMatch(/max_file_store: 8GB/);
    expect(text).not.toContain("no_auth_user");
    // Nothing outside the upload carries the config, its hashes or a password in plaintext.
    const plainInputs = JSON.stringify(records.map((r) => ({ ...r.inputs, uploads: undefined })));
    for (const value of [...results, ...hashes]) expect(plainInputs).not.toContain(value);
  });

  it("publishes the monitoring endpoint only when asked, then on the bind address", async () => {
    build({}, { monitorHostPort: 18222 });
    await settled();
    const container = findResource("docker:index/container:Container", "nats-server");
    expect(container.inputs["ports"]).toEqual([
      { internal: 4222, external: 4222, ip: "127.0.0.1" },
      { internal: 8222, external: 18222, ip: "127.0.0.1" },
    ]);
    expect(uploadedConf(container).text).toContain('http: "0.0.0.0:8222"');
  });

  it("exposes the server contract and one connection per NATS service, passwords secret", async () => {
    const { server, connections } = build({ userMode: "per-service" });
    await settled();
    expect(await valueOf(server.endpoint.host)).toBe("stellaops-dev-nats");
    expect(await valueOf(server.endpoint.port)).toBe(4222);
    expect(await valueOf(server.adminEndpoint.host)).toBe("127.0.0.1");
    expect(await valueOf(server.admin.username)).toBe("admin");
    expect(await isSecretOutput(server.admin.password)).toBe(true);
    expect(await valueOf(server.tls)).toBe(false);
    expect(server.readyResources).toEqual([server.container]);

    expect(Object.keys(connections)).toEqual(["scanner", "scheduler"]);
    const scanner = connections["scanner"];
    expect(await valueOf(scanner.url)).toBe("nats://stellaops-dev-nats:4222");
    expect(await valueOf(scanner.user)).toBe("scanner");
    expect(await valueOf(scanner.inboxPrefix)).toBe("_INBOX.scanner");
    expect(await isSecretOutput(scanner.password)).toBe(true);
    expect(await isSecretOutput(scanner.url)).toBe(false);
    expect(await isSecretOutput(scanner.urlWithCredentials)).toBe(true);
    expect(await valueOf(scanner.urlWithCredentials)).toMatch(
      /^nats:\/\/scanner:fake-password-nats-users-scanner[^@]*@stellaops-dev-nats:4222$/,
    );
    expect(await valueOf(scanner.password)).not.toBe(await valueOf(connections["scheduler"].password));
  });

  it("gives every NATS service the shared user in shared mode", async () => {
    const { connections } = build();
    await settled();
    expect(await valueOf(connections["scanner"].user)).toBe("stellaops");
    expect(await valueOf(connections["scanner"].password)).toBe(await valueOf(connections["scheduler"].password));
    expect(
      resourcesOfType("random:index/randomPassword:RandomPassword")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["nats-admin-password", "nats-users-stellaops"]);
  });

  it("keeps the volume's inputs when unrelated settings change", async () => {
    build();
    await settled();
    const before = findResource("docker:index/volume:Volume", "nats-data");
    resetRecorder();
    build(
      { userMode: "per-service", jetstream: { maxFileStore: "20GB" }, monitorPort: 9222 },
      { hostPort: 14222, image: "nats:2.12.2-alpine", monitorHostPort: 18222 },
      { "stellaops.io/environment": "dev", team: "platform" },
    );
    await settled();
    const after = findResource("docker:index/volume:Volume", "nats-data");
    expect(after.urn).toBe(before.urn);
    // Labels differ, but the volume ignores label changes; everything else is identical.
    expect({ ...after.inputs, labels: undefined }).toEqual({ ...before.inputs, labels: undefined });
    expect(after.options.ignoreChanges).toEqual(["labels"]);
  });
});
