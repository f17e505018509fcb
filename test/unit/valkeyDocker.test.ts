import { beforeEach, describe, expect, it } from "vitest";
import { ValkeyAppUsers } from "../../components/valkey/appUsers";
import { valkeyServiceConnections } from "../../components/valkey/connections";
import { ACL_PATH, CONF_PATH, HEALTHCHECK_PASSWORD_PATH, ValkeyDockerServer } from "../../components/valkey/docker";
import { valkeyDockerSettings, valkeySettings } from "../../components/valkey/settings";
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
  plainStrings,
} from "../harness";

function build(settingsInput: object = {}, dockerInput: object = {}) {
  const settings = valkeySettings.parse(settingsInput);
  const appUsers = new ValkeyAppUsers("valkey-app", { settings });
  const server = new ValkeyDockerServer("valkey", {
    platform: testDockerPlatform({ labels: { "stellaops.io/stack": "dev" } }),
    settings,
    docker: valkeyDockerSettings.parse(dockerInput),
    appUsers,
  });
  return { server, appUsers, connections: valkeyServiceConnections(server, appUsers) };
}

type Upload = { file: string; content: unknown; permissions?: string };
function uploads(container: RecordedResource): Upload[] {
  return container.inputs["uploads"] as Upload[];
}

describe("ValkeyDockerServer", () => {
  beforeEach(() => resetRecorder());

  it("runs a pinned image with the config and ACL file uploaded, a named volume, an authenticating healthcheck", async () => {
    const { server } = build();
    const records = await settled();
    assertUniqueUrns(records);
    const component = findResource("stellaops:valkey:DockerServer", "valkey");
    const container = findResource("docker:index/container:Container", "valkey-server");
    const volume = findResource("docker:index/volume:Volume", "valkey-data");
    const image = findResource("docker:index/remoteImage:RemoteImage", "valkey-image");
    expect(container.parent).toBe(component.urn);
    expect(container.provider).toMatch(/docker::/);
    expect(image.inputs).toMatchObject({ name: "valkey/valkey:9.0.1", keepLocally: true });
    expect(container.inputs).toMatchObject({
      name: "stellaops-dev-valkey",
      image: `sha256:${"0".repeat(64)}`,
      command: ["valkey-server", CONF_PATH],
      restart: "unless-stopped",
      wait: true,
      ports: [{ internal: 6379, external: 6379, ip: "127.0.0.1" }],
      networksAdvanced: [{ name: "stellaops-dev", aliases: ["valkey"] }],
      volumes: [{ volumeName: "stellaops-dev-valkey-data", containerPath: "/data" }],
    });
    expect(container.dependencies).toContain(volume.urn);
    const conf = uploads(container).find((u) => u.file === CONF_PATH)!;
    expect(conf.content).toContain("appendonly yes");
    expect(conf.content).toContain("maxmemory-policy noeviction");
    expect(conf.content).toContain(`aclfile ${ACL_PATH}`);
    const healthcheck = container.inputs["healthcheck"] as { tests: string[] };
    expect(healthcheck.tests[0]).toBe("CMD-SHELL");
    expect(healthcheck.tests[1]).toContain("--user healthcheck");
    expect(healthcheck.tests[1]).toContain(`$(cat ${HEALTHCHECK_PASSWORD_PATH})`);
    // The only things in the container's command line and healthcheck are paths, never a password.
    expect(JSON.stringify([container.inputs["command"], healthcheck, container.inputs["envs"] ?? []])).not.toContain(
      "fake-password",
    );
    expect(await valueOf(server.endpoint.host)).toBe("stellaops-dev-valkey");
    expect(await valueOf(server.adminEndpoint.host)).toBe("127.0.0.1");
    expect(await valueOf(server.tls)).toBe(false);
    expect(await isSecretOutput(server.admin.password)).toBe(true);
    expect(server.readyResources).toEqual([server.container]);
  });

  it("uploads an ACL file that is a secret input holding only SHA-256 hashes, the default user off", async () => {
    build();
    await settled();
    const container = findResource("docker:index/container:Container", "valkey-server");
    const acl = uploads(container).find((u) => u.file === ACL_PATH)!;
    expect(isSecret(acl.content)).toBe(true);
    const text = String(unwrapSecrets(acl.content));
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("user default off resetpass resetkeys resetchannels -@all");
    expect(lines.map((l) => l.split(" ")[1])).toEqual(["default", "stellaops-admin", "healthcheck", "stellaops"]);
    for (const line of lines.slice(1)) expect(line).toMatch(/ on #[0-9a-f]{64} /);
    expect(text).not.toContain("fake-password");
    const pass = uploads(container).find((u) => u.file === HEALTHCHECK_PASSWORD_PATH)!;
    expect(isSecret(pass.content)).toBe(true);
    expect(pass.permissions).toBe("0400");
  });

  it("never puts a password in a plain input anywhere", async () => {
    build({ aclMode: "per-service" });
    const records = await settled();
    const leaks = records.flatMap((r) =>
      plainStrings(r.inputs)
        .filter((s) => s.includes("fake-password"))
        .map((s) => `${r.type} ${r.name}: ${s.slice(0, 40)}`),
    );
    expect(leaks).toEqual([]);
    // And the generated passwords really are in the program (the check above is not vacuous).
    expect(resourcesOfType("random:index/randomPassword:RandomPassword").length).toBeGreaterThan(5);
  });

  it("refuses an admin user named like its healthcheck user, naming that clash", async () => {
    expect(() => build({ adminUser: "healthcheck" })).toThrow(
      'valkey.adminUser: "healthcheck" is the name of the Docker healthcheck user; choose another',
    );
    await settled();
  });

  it("protects the data volume, and a harmless edit leaves its inputs unchanged", async () => {
    build();
    await settled();
    const before = findResource("docker:index/volume:Volume", "valkey-data");
    expect(before.options).toMatchObject({ protect: true, retainOnDelete: true, ignoreChanges: ["labels"] });
    resetRecorder();
    build({ maxmemory: "4gb", aclMode: "per-service", maxmemoryPolicy: "volatile-lru" }, { hostPort: 16379 });
    await settled();
    const after = findResource("docker:index/volume:Volume", "valkey-data");
    expect(after.inputs).toEqual(before.inputs);
    expect(after.options).toEqual(before.options);
  });

  it("mounts TLS material read-only and serves TLS only when configured", async () => {
    const { server } = build({}, { tls: { hostDir: "/etc/stellaops/valkey-tls" } });
    await settled();
    const container = findResource("docker:index/container:Container", "valkey-server");
    expect(container.inputs["volumes"]).toContainEqual({
      hostPath: "/etc/stellaops/valkey-tls",
      containerPath: "/tls",
      readOnly: true,
    });
    expect(uploads(container).find((u) => u.file === CONF_PATH)!.content).toContain("tls-port 6379");
    expect((container.inputs["healthcheck"] as { tests: string[] }).tests[1]).toContain("--tls --cacert /tls/ca.crt");
    expect(await valueOf(server.tls)).toBe(true);
  });

  it("gives every service the shared user's secret connection string in shared mode", async () => {
    const { connections } = build();
    await settled();
    expect(Object.keys(connections)).toContain("scanner");
    expect(Object.keys(connections)).toContain("gateway");
    const scanner = connections["scanner"];
    const authority = connections["authority"];
    expect(await valueOf(scanner.user)).toBe("stellaops");
    expect(await valueOf(authority.password)).toBe(await valueOf(scanner.password));
    expect(await isSecretOutput(scanner.password)).toBe(true);
    expect(await isSecretOutput(scanner.connectionString)).toBe(true);
    expect(await valueOf(scanner.connectionString)).toMatch(
      /^stellaops-dev-valkey:6379,user=stellaops,password=fake-password-valkey-app-stellaops-x+,ssl=false,abortConnect=false$/,
    );
  });

  it("gives each service its own user and password in per-service mode", async () => {
    const { connections } = build({ aclMode: "per-service" });
    await settled();
    expect(await valueOf(connections["scanner"].user)).toBe("stellaops-scanner");
    expect(await valueOf(connections["gateway"].user)).toBe("stellaops-gateway");
    expect(await valueOf(connections["scanner"].password)).not.toBe(await valueOf(connections["notify"].password));
    expect(await valueOf(connections["notify"].connectionString)).toContain("user=stellaops-notify,");
  });
});
