import { beforeEach, describe, expect, it } from "vitest";
import { ValkeyAppUsers } from "../../components/valkey/appUsers";
import { settingsKey } from "../../components/settingsProblem";
import { blockProblems } from "../support/blockProblems";
import { valkeyServiceConnections } from "../../components/valkey/connections";
import { ValkeyKubernetesServer } from "../../components/valkey/kubernetes";
import { valkeyKubernetesSettings, valkeySettings } from "../../components/valkey/settings";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  redactSecrets,
  resetRecorder,
  settled,
  testKubernetesPlatform,
  unwrapSecrets,
  valueOf,
} from "../harness";

function build(settingsInput: object = {}, k8sInput: object = {}) {
  const settings = valkeySettings.parse(settingsInput);
  const appUsers = new ValkeyAppUsers("valkey-app", { settings });
  const server = new ValkeyKubernetesServer("valkey", {
    platform: testKubernetesPlatform({
      providerName: "k8s",
      kubeconfig: "{}",
      storageClass: "standard",
      stateful: { protect: true, retainOnDelete: false },
    }),
    settings,
    kubernetes: valkeyKubernetesSettings.parse(k8sInput),
    appUsers,
  });
  return { server, appUsers, connections: valkeyServiceConnections(server, appUsers) };
}

type Values = {
  image: object;
  auth: { usersExistingSecret: string; aclUsers: Record<string, { permissions: string }> };
  dataStorage?: object;
  replica?: { enabled: boolean; replicas: number; replicationUser: string };
  valkeyConfig: string;
};

describe("ValkeyKubernetesServer", () => {
  beforeEach(() => resetRecorder());

  it("installs the valkey-io chart with ACL users from a Secret, persistence and the rendered config", async () => {
    const { server } = build();
    const records = await settled();
    assertUniqueUrns(records);
    const release = findResource("kubernetes:helm.sh/v3:Release", "valkey-release");
    const secret = findResource("kubernetes:core/v1:Secret", "valkey-users");
    expect(release.inputs).toMatchObject({
      name: "valkey",
      namespace: "stellaops",
      chart: "valkey",
      version: "0.9.4",
      repositoryOpts: { repo: "https://valkey.io/valkey-helm/" },
      atomic: true,
    });
    expect(release.provider).toMatch(/k8s::/);
    expect(release.dependencies).toContain(secret.urn);
    expect(release.options.protect).toBe(true);
    const values = release.inputs["values"] as Values;
    expect(values.image).toEqual({
      registry: "docker.io",
      repository: "valkey/valkey",
      tag: "9.0.1",
      pullPolicy: "IfNotPresent",
    });
    expect(values.auth.usersExistingSecret).toBe("valkey-users");
    expect(Object.keys(values.auth.aclUsers).sort()).toEqual(["default", "stellaops", "stellaops-admin"]);
    expect(values.auth.aclUsers["default"].permissions).toBe("off resetpass resetkeys resetchannels -@all");
    expect(values.auth.aclUsers["stellaops"].permissions).toContain("-@dangerous -@admin +info");
    expect(values.dataStorage).toEqual({ enabled: true, requestedSize: "10Gi", className: "standard", keepPvc: true });
    expect(values.valkeyConfig).toContain("appendonly yes");
    expect(values.valkeyConfig).toContain("maxmemory 1gb");
    // Helm values are stored in the release: no password may be among them.
    expect(JSON.stringify(unwrapSecrets(release.inputs))).not.toContain("fake-password");
    expect(await valueOf(server.endpoint.host)).toBe("valkey.stellaops.svc");
    expect(await valueOf(server.endpoint.port)).toBe(6379);
    expect(server.readyResources).toEqual([server.release]);
  });

  it("keeps every password in the Secret as a secret input, one key per ACL user", async () => {
    const { server } = build();
    await settled();
    const secret = findResource("kubernetes:core/v1:Secret", "valkey-users");
    expect(isSecret(secret.inputs["stringData"])).toBe(true);
    const data = unwrapSecrets(secret.inputs["stringData"]) as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(["default", "stellaops", "stellaops-admin"]);
    expect(data["stellaops-admin"]).toBe(await valueOf(server.admin.password));
    expect(await isSecretOutput(server.admin.password)).toBe(true);
  });

  it("never puts a password in a plain input", async () => {
    build({ aclMode: "per-service" }, { replicas: 1 });
    const records = await settled();
    expect(JSON.stringify(records.map((r) => redactSecrets(r.inputs)))).not.toContain("fake-password");
    expect(JSON.stringify(records.map((r) => unwrapSecrets(r.inputs)))).toContain("fake-password");
  });

  it("adds read replicas and a replication-only user when replicas are asked for", async () => {
    build({}, { replicas: 2 });
    await settled();
    const values = findResource("kubernetes:helm.sh/v3:Release", "valkey-release").inputs["values"] as Values;
    expect(values.replica).toMatchObject({ enabled: true, replicas: 2, replicationUser: "replication" });
    expect(values.auth.aclUsers["replication"].permissions).toBe(
      "resetkeys resetchannels -@all +psync +replconf +ping",
    );
    expect(values.dataStorage).toBeUndefined();
    const data = unwrapSecrets(findResource("kubernetes:core/v1:Secret", "valkey-users").inputs["stringData"]);
    expect(Object.keys(data as object)).toContain("replication");
  });

  it("refuses an application user named like the replication user only when there are replicas", async () => {
    expect(() => build({ appUser: "replication" }, { replicas: 1 })).toThrow(
      'valkey.appUser: "replication" is the name of the user the Kubernetes replicas replicate with; choose another',
    );
    expect(() => build({ appUser: "replication" })).not.toThrow();
    await settled();
  });

  it("refuses every chart problem at once: an image without a tag and an unreachable write quorum", () => {
    const digest = `@sha256:${"a".repeat(64)}`;
    const k = { image: `valkey/valkey${digest}`, replicas: 1, minReplicasToWrite: 2 };
    expect(blockProblems(valkeyKubernetesSettings, k).map((p) => `${settingsKey(p.path)}: ${p.message}`)).toEqual([
      `image: "valkey/valkey${digest}" needs a tag (repository:tag or repository:tag@sha256:<digest>): the valkey chart renders repository:tag`,
      "minReplicasToWrite: 2 exceeds kubernetes.valkey.replicas (1): the primary would refuse every write; allowed: 0-1",
    ]);
  });

  it("per-service mode: one chart user per service, and each service connects as itself", async () => {
    const { connections } = build({ aclMode: "per-service" });
    await settled();
    const values = findResource("kubernetes:helm.sh/v3:Release", "valkey-release").inputs["values"] as Values;
    expect(values.auth.aclUsers["stellaops-scanner"].permissions).toMatch(
      /^resetkeys ~scanner:\* ~scanner\.\* resetchannels/,
    );
    expect(await valueOf(connections["scanner"].connectionString)).toMatch(
      /^valkey\.stellaops\.svc:6379,user=stellaops-scanner,password=.+,ssl=false,abortConnect=false$/,
    );
  });

  it("a vendored chart and TLS from an existing Secret", async () => {
    const { server } = build(
      {},
      { chart: { path: "charts/valkey-0.9.4.tgz", chart: "valkey", version: "0.9.4" }, tlsSecretName: "valkey-tls" },
    );
    await settled();
    const release = findResource("kubernetes:helm.sh/v3:Release", "valkey-release");
    expect(release.inputs["chart"]).toBe("charts/valkey-0.9.4.tgz");
    expect(release.inputs["repositoryOpts"]).toBeUndefined();
    expect((release.inputs["values"] as { tls: object }).tls).toEqual({ enabled: true, existingSecret: "valkey-tls" });
    expect(await valueOf(server.tls)).toBe(true);
  });
});
