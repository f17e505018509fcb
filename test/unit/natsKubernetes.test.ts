import { beforeEach, describe, expect, it } from "vitest";
import { NatsAppUsers } from "../../components/nats/appUsers";
import { bcryptEnvName, ROUTE_PASSWORD_ENV, routeUrlEnv } from "../../components/nats/chartValues";
import { natsServiceConnections } from "../../components/nats/connections";
import { CREDENTIALS_CHECKSUM_ANNOTATION, NatsKubernetesServer } from "../../components/nats/kubernetes";
import { natsKubernetesSettings, natsSettings } from "../../components/nats/settings";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  resetRecorder,
  settled,
  testKubernetesPlatform,
  unwrapSecrets,
  valueOf,
  type RecordedResource,
} from "../harness";

function build(settingsInput: object = {}, kubernetesInput: object = {}, storageClass?: string) {
  const settings = natsSettings.parse({ enabled: true, ...settingsInput });
  const appUsers = new NatsAppUsers("nats-users", { settings });
  const server = new NatsKubernetesServer("nats", {
    platform: testKubernetesPlatform({ storageClass }),
    settings,
    kubernetes: natsKubernetesSettings.parse(kubernetesInput),
    appUsers,
  });
  return { server, connections: natsServiceConnections(server, appUsers) };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- chart values are free-form YAML */
function valuesOf(release: RecordedResource): any {
  return release.inputs["values"];
}

function fakePasswords(records: RecordedResource[]): { results: string[]; hashes: string[] } {
  const passwords = records.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
  return {
    results: passwords.map((p) => `fake-password-${p.name}`),
    hashes: passwords.map((p) => `$2a$10$fake.${p.name}`),
  };
}

describe("NatsKubernetesServer", () => {
  beforeEach(() => resetRecorder());

  it("installs the nats chart with JetStream on a PVC, no nats-box, and waits for readiness", async () => {
    build({}, {}, "standard");
    const records = await settled();
    assertUniqueUrns(records);
    const component = findResource("stellaops:nats:KubernetesServer", "nats");
    const release = findResource("kubernetes:helm.sh/v3:Release", "nats-release");
    const secret = findResource("kubernetes:core/v1:Secret", "nats-credentials");
    const provider = findResource("pulumi:providers:kubernetes", "kubernetes");
    for (const child of [release, secret]) {
      expect(child.parent).toBe(component.urn);
      expect(child.provider).toBe(`${provider.urn}::kubernetes-id`);
    }
    expect(release.inputs).toMatchObject({
      name: "nats",
      namespace: "stellaops",
      chart: "nats",
      version: "1.3.13",
      repositoryOpts: { repo: "https://nats-io.github.io/k8s/helm/charts/" },
      atomic: true,
    });
    expect(release.options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(release.dependencies).toContain(secret.urn);
    const values = valuesOf(release);
    expect(values.config.jetstream).toEqual({
      enabled: true,
      fileStore: {
        enabled: true,
        dir: "/data",
        maxSize: "8GB",
        pvc: { enabled: true, size: "10Gi", storageClassName: "standard" },
      },
      memoryStore: { enabled: true, maxSize: "256MB" },
    });
    expect(values.config.cluster).toEqual({ enabled: false });
    expect(values.natsBox).toEqual({ enabled: false });
    expect(values.reloader).toMatchObject({ enabled: false });
    // The image runs as root unless told otherwise; the JetStream volume is handed to the group.
    expect(values.podTemplate.merge.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      fsGroup: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(values.container.merge.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(values.container.image).toEqual({ repository: "nats", tag: "2.12.1-alpine" });
    expect(values.global.image.pullSecretNames).toEqual(["mirror-pull"]);
    expect(values.service).toEqual({ name: "nats" });
  });

  it("merges accounts and users with passwords as variables fed from the Secret, never as values", async () => {
    build({ userMode: "per-service" });
    const records = await settled();
    const release = findResource("kubernetes:helm.sh/v3:Release", "nats-release");
    const secret = findResource("kubernetes:core/v1:Secret", "nats-credentials");
    const values = valuesOf(release);
    const accounts = values.config.merge.accounts;
    expect(values.config.merge.system_account).toBe("SYS");
    expect(accounts.STELLAOPS.jetstream).toBe("enabled");
    expect(accounts.STELLAOPS.users.map((u: any) => [u.user, u.password])).toEqual([
      ["scanner", `<< $${bcryptEnvName("scanner")} >>`],
      ["scheduler", `<< $${bcryptEnvName("scheduler")} >>`],
    ]);
    expect(accounts.STELLAOPS.users[0].permissions.publish.allow).toContain("$JS.API.STREAM.*.SCANNER_JOBS");
    expect(accounts.SYS.users).toEqual([{ user: "admin", password: `<< $${bcryptEnvName("admin")} >>` }]);
    expect(values.config.merge.no_auth_user).toBeUndefined();
    expect(values.container.env[bcryptEnvName("scanner")]).toEqual({
      valueFrom: { secretKeyRef: { name: "nats-credentials", key: "scanner.bcrypt" } },
    });

    // The Secret is the only place credentials appear, as a secret input, and it holds quoted hashes.
    expect(isSecret(secret.inputs["stringData"])).toBe(true);
    const data = unwrapSecrets(secret.inputs["stringData"]) as Record<string, string>;
    expect(data).toEqual({
      "scanner.bcrypt": '"$2a$10$fake.nats-users-scanner"',
      "scheduler.bcrypt": '"$2a$10$fake.nats-users-scheduler"',
      "admin.bcrypt": '"$2a$10$fake.nats-admin-password"',
    });
    const { results, hashes } = fakePasswords(records);
    const everythingButTheSecret = JSON.stringify(
      records.filter((r) => r !== secret).map((r) => unwrapSecrets(r.inputs)),
    );
    for (const value of [...results, ...hashes]) expect(everythingButTheSecret).not.toContain(value);
  });

  it("rolls the pods when credentials change, through a checksum annotation that is not itself secret", async () => {
    build();
    await settled();
    const values = valuesOf(findResource("kubernetes:helm.sh/v3:Release", "nats-release"));
    const checksum = values.podTemplate.merge.metadata.annotations[CREDENTIALS_CHECKSUM_ANNOTATION];
    expect(isSecret(checksum)).toBe(false);
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(values.podTemplate.configChecksumAnnotation).toBe(true);
  });

  it("runs a JetStream cluster with authenticated routes when replicas ≥ 3", async () => {
    build({}, { replicas: 3, storageClass: "fast" }, "standard");
    await settled();
    const values = valuesOf(findResource("kubernetes:helm.sh/v3:Release", "nats-release"));
    expect(values.config.cluster).toMatchObject({
      enabled: true,
      replicas: 3,
      merge: {
        authorization: { user: "route", password: "<< $NATS_ROUTE_PASSWORD_BCRYPT >>" },
        routes: ["<< $NATS_ROUTE_URL_0 >>", "<< $NATS_ROUTE_URL_1 >>", "<< $NATS_ROUTE_URL_2 >>"],
      },
    });
    expect(values.container.env[routeUrlEnv(2)]).toBe("nats://route:$(NATS_ROUTE_PASSWORD)@nats-2.nats-headless:6222");
    // The chart lists env variables sorted by name; $(VAR) expands only from variables listed earlier.
    const sorted = Object.keys(values.container.env).sort();
    expect(sorted.indexOf(ROUTE_PASSWORD_ENV)).toBeLessThan(sorted.indexOf(routeUrlEnv(0)));
    expect(values.config.jetstream.fileStore.pvc.storageClassName).toBe("fast");
    const secret = findResource("kubernetes:core/v1:Secret", "nats-credentials");
    const data = unwrapSecrets(secret.inputs["stringData"]) as Record<string, string>;
    expect(Object.keys(data)).toEqual(expect.arrayContaining(["route.password", "route.bcrypt"]));
    expect(isSecret(secret.inputs["stringData"])).toBe(true);
  });

  it("takes the chart from an OCI mirror or a vendored archive", async () => {
    build({}, { chart: { repository: "oci://registry.local:5000/charts", chart: "nats", version: "1.3.13" } });
    await settled();
    expect(findResource("kubernetes:helm.sh/v3:Release", "nats-release").inputs).toMatchObject({
      chart: "oci://registry.local:5000/charts/nats",
      version: "1.3.13",
    });
  });

  it("exposes the in-cluster service as endpoint and per-service URLs", async () => {
    const { server, connections } = build();
    await settled();
    expect(await valueOf(server.endpoint.host)).toBe("nats.stellaops.svc");
    expect(await valueOf(server.endpoint.port)).toBe(4222);
    expect(server.readyResources).toEqual([server.release]);
    expect(await valueOf(connections["scheduler"].url)).toBe("nats://nats.stellaops.svc:4222");
    expect(await isSecretOutput(connections["scheduler"].password)).toBe(true);
    expect(await isSecretOutput(server.admin.password)).toBe(true);
  });
});
