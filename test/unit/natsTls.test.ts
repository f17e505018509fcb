import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { NatsAppUsers } from "../../components/nats/appUsers";
import { CHART_TLS_DIR } from "../../components/nats/chartValues";
import { natsTlsConfig, renderNatsServerConf, type NatsServerConfInput } from "../../components/nats/renderConf";
import { natsExternalConnections, natsServiceConnections } from "../../components/nats/connections";
import { CONF_PATH, NatsDockerServer, STORE_DIR, TLS_DIR } from "../../components/nats/docker";
import { NatsKubernetesServer } from "../../components/nats/kubernetes";
import {
  natsDockerSettings,
  natsExternalSettings,
  natsKubernetesSettings,
  natsSettings,
} from "../../components/nats/settings";
import { mergeServiceConnections } from "../../profiles/outputs";
import { configProblems } from "../harness/configProblems";
import {
  findResource,
  isSecret,
  isSecretOutput,
  resetRecorder,
  settled,
  testDockerPlatform,
  testKubernetesPlatform,
  unwrapSecrets,
  valueOf,
  type RecordedResource,
} from "../harness";

/** Client TLS on the NATS server: configuration, the rendered file, the Docker mount, the chart values, outputs. */

const TLS_BLOCK = [
  "tls: {",
  '  cert_file: "/tls/tls.crt"',
  '  key_file: "/tls/tls.key"',
  '  ca_file: "/tls/ca.crt"',
  "  verify: false",
  "  timeout: 5",
  "}",
].join("\n");

function confInput(overrides: Partial<NatsServerConfInput> = {}): NatsServerConfInput {
  return {
    listen: { host: "0.0.0.0", port: 4222 },
    monitor: { host: "127.0.0.1", port: 8222 },
    jetstream: { storeDir: "/data", maxFileStore: "8GB", maxMemoryStore: "256MB" },
    appAccount: "STELLAOPS",
    appUsers: [{ name: "stellaops", password: "$2a$10$fixture" }],
    systemUsers: [{ name: "admin", password: "$2a$10$fixture-admin" }],
    ...overrides,
  };
}

/** Problems the stack config loader reports, as `key: message`. */
const problemsOf = (values: Record<string, unknown>) => configProblems(values);

describe("NATS TLS in nats-server.conf", () => {
  it("renders the tls block (no client certificates required) only when TLS files are given", () => {
    const plain = renderNatsServerConf(confInput());
    expect(plain).not.toMatch(/tls|cert_file|verify/);
    const withTls = renderNatsServerConf(
      confInput({ tls: { certFile: "/tls/tls.crt", keyFile: "/tls/tls.key", caFile: "/tls/ca.crt" } }),
    );
    expect(withTls).toContain(TLS_BLOCK);
    // Monitoring stays plain HTTP: the healthcheck and the chart's probes call it without TLS.
    expect(withTls).toContain('http: "127.0.0.1:8222"');
    expect(withTls).not.toContain("https");
    // Nothing else changes.
    expect(withTls.replace(`${TLS_BLOCK}\n`, "")).toBe(plain);
  });

  it("refuses relative certificate paths", () => {
    expect(() => natsTlsConfig({ certFile: "tls.crt", keyFile: "/tls/tls.key", caFile: "/tls/ca.crt" })).toThrow(
      /certFile "tls.crt" must be an absolute path/,
    );
  });
});

describe("NATS TLS settings", () => {
  it("are off by default on every platform", () => {
    expect(natsDockerSettings.parse({}).tls).toBeUndefined();
    expect(natsKubernetesSettings.parse({}).tlsSecretName).toBeUndefined();
    expect(natsExternalSettings.parse({ url: "nats://n:4222", password: "p" }).tls).toBe(false);
  });

  it("name the key and say what is allowed when a value is wrong", () => {
    expect(
      problemsOf({ profile: "docker", nats: { enabled: true }, docker: { nats: { tls: { hostDir: "certs/nats" } } } }),
    ).toEqual([
      "stellaops-infra:docker.nats.tls.hostDir: must be an absolute path on the Docker host, such as /etc/nats-tls",
    ]);
    expect(
      problemsOf({
        profile: "docker",
        nats: { enabled: true },
        docker: { nats: { tls: { hostDir: "/etc/../root" } } },
      }),
    ).toEqual([
      "stellaops-infra:docker.nats.tls.hostDir: must not contain '..' segments: give the directory's absolute path, such as /etc/nats-tls",
    ]);
    expect(problemsOf({ profile: "docker", nats: { enabled: true }, docker: { nats: { tls: {} } } })).toEqual([
      "stellaops-infra:docker.nats.tls.hostDir: must be an absolute path on the Docker host, such as /etc/nats-tls",
    ]);
    const k8sProblems = problemsOf({
      profile: "kubernetes",
      nats: { enabled: true },
      kubernetes: { nats: { tlsSecretName: "NATS TLS" } },
    });
    expect(k8sProblems).toContainEqual(
      "stellaops-infra:kubernetes.nats.tlsSecretName: must be a Kubernetes object name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters",
    );
    expect(
      problemsOf({
        profile: "external",
        nats: { enabled: true },
        external: { nats: { url: "nats://n:4222", password: "p", tls: "yes" } },
      }),
    ).toContainEqual("stellaops-infra:external.nats.tls: must be true or false");
  });

  it("are refused while NATS is off, like every NATS setting", () => {
    expect(problemsOf({ profile: "docker", docker: { nats: { tls: { hostDir: "/etc/nats-tls" } } } })).toEqual([
      "stellaops-infra:docker.nats: NATS setting given while nats.enabled is not true; set nats.enabled: true or remove it",
    ]);
  });
});

function buildDocker(dockerInput: object) {
  const settings = natsSettings.parse({ enabled: true });
  const appUsers = new NatsAppUsers("nats-users", { settings });
  const server = new NatsDockerServer("nats", {
    platform: testDockerPlatform(),
    settings,
    docker: natsDockerSettings.parse(dockerInput),
    appUsers,
  });
  return { server, connections: natsServiceConnections(server, appUsers) };
}

function uploadedConf(container: RecordedResource): string {
  const uploads = container.inputs["uploads"] as { file: string; content: unknown }[];
  expect(uploads.map((u) => u.file)).toEqual([CONF_PATH]);
  expect(isSecret(uploads[0].content)).toBe(true);
  return String(unwrapSecrets(uploads[0].content));
}

describe("NatsDockerServer with TLS", () => {
  beforeEach(() => resetRecorder());

  it("mounts the operator's directory read-only at /tls and points the tls block at it", async () => {
    const { server, connections } = buildDocker({ tls: { hostDir: "/etc/nats-tls" } });
    await settled();
    const container = findResource("docker:index/container:Container", "nats-server");
    expect(container.inputs["volumes"]).toEqual([
      { volumeName: "stellaops-dev-nats-data", containerPath: STORE_DIR },
      { hostPath: "/etc/nats-tls", containerPath: TLS_DIR, readOnly: true },
    ]);
    expect(uploadedConf(container)).toContain(TLS_BLOCK);
    // The healthcheck still probes plain HTTP on the container's loopback monitoring endpoint.
    expect(container.inputs["healthcheck"]).toMatchObject({
      tests: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8222/healthz"],
    });
    // The key stays on the host: only the directory's path enters the inputs.
    expect(JSON.stringify(container.inputs)).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY/);
    expect(await valueOf(server.tls)).toBe(true);
    for (const connection of Object.values(connections)) {
      expect(await valueOf(connection.tls)).toBe(true);
      expect(await valueOf(connection.url)).toBe("nats://stellaops-dev-nats:4222");
    }
  });

  it("has no mount, no tls block and tls false without docker.nats.tls", async () => {
    const { server, connections } = buildDocker({});
    await settled();
    const container = findResource("docker:index/container:Container", "nats-server");
    expect(container.inputs["volumes"]).toEqual([{ volumeName: "stellaops-dev-nats-data", containerPath: STORE_DIR }]);
    expect(uploadedConf(container)).not.toMatch(/tls/);
    expect(await valueOf(server.tls)).toBe(false);
    expect(await valueOf(connections["scanner"].tls)).toBe(false);
  });

  it("leaves the JetStream volume's inputs alone when TLS is turned on", async () => {
    buildDocker({});
    await settled();
    const before = findResource("docker:index/volume:Volume", "nats-data");
    resetRecorder();
    buildDocker({ tls: { hostDir: "/etc/nats-tls" } });
    await settled();
    const after = findResource("docker:index/volume:Volume", "nats-data");
    expect(after.urn).toBe(before.urn);
    expect(after.inputs).toEqual(before.inputs);
  });
});

function buildKubernetes(kubernetesInput: object) {
  const settings = natsSettings.parse({ enabled: true });
  const appUsers = new NatsAppUsers("nats-users", { settings });
  const server = new NatsKubernetesServer("nats", {
    platform: testKubernetesPlatform({ imagePullSecrets: [], labels: {} }),
    settings,
    kubernetes: natsKubernetesSettings.parse(kubernetesInput),
    appUsers,
  });
  return { server, connections: natsServiceConnections(server, appUsers) };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- chart values are free-form YAML */
function chartValuesOf(): any {
  return findResource("kubernetes:helm.sh/v3:Release", "nats-release").inputs["values"];
}

describe("NatsKubernetesServer with TLS", () => {
  beforeEach(() => resetRecorder());

  it("turns on the chart's config.nats.tls from the existing Secret, with the same tls block as Docker", async () => {
    const { server, connections } = buildKubernetes({ tlsSecretName: "nats-tls", replicas: 3 });
    await settled();
    const values = chartValuesOf();
    expect(values.config.nats).toEqual({
      port: 4222,
      tls: {
        enabled: true,
        secretName: "nats-tls",
        dir: CHART_TLS_DIR,
        cert: "tls.crt",
        key: "tls.key",
        merge: {
          cert_file: "/etc/nats-certs/nats/tls.crt",
          key_file: "/etc/nats-certs/nats/tls.key",
          ca_file: "/etc/nats-certs/nats/ca.crt",
          verify: false,
          timeout: 5,
        },
      },
    });
    // The probes keep calling plain HTTP /healthz; routes are untouched (client TLS only).
    expect(values.config.monitor).toEqual({ enabled: true, port: 8222 });
    expect(values.config.monitor.tls).toBeUndefined();
    expect(values.config.cluster.tls).toBeUndefined();
    expect(await valueOf(server.tls)).toBe(true);
    expect(await valueOf(connections["scheduler"].tls)).toBe(true);
    expect(await valueOf(connections["scheduler"].url)).toBe("nats://nats.stellaops.svc:4222");
  });

  it("sets no TLS values and reports tls false without kubernetes.nats.tlsSecretName", async () => {
    const { server } = buildKubernetes({});
    await settled();
    expect(chartValuesOf().config.nats).toEqual({ port: 4222 });
    expect(await valueOf(server.tls)).toBe(false);
  });
});

describe("NATS TLS in the outputs", () => {
  it("reports an existing server's TLS and keeps the nats:// URL", async () => {
    const external = natsExternalSettings.parse({ url: "nats://nats.internal:4222", password: "p", tls: true });
    const connections = natsExternalConnections(external);
    expect(await valueOf(connections["scanner"].tls)).toBe(true);
    expect(await valueOf(connections["scanner"].url)).toBe("nats://nats.internal:4222");
    const plain = natsExternalConnections({ ...external, tls: false });
    expect(await valueOf(plain["scanner"].tls)).toBe(false);
  });

  it("passes the flag into services.<service>.nats.tls as a plain value, the credentials still secret", async () => {
    const connections = natsExternalConnections(
      natsExternalSettings.parse({ url: "nats://nats.internal:4222", password: "p", tls: true }),
    );
    const services = mergeServiceConnections({ nats: connections });
    const nats = services["scanner"].nats!;
    expect(Object.keys(nats).sort()).toEqual(["inboxPrefix", "password", "tls", "url", "urlWithCredentials", "user"]);
    expect(await valueOf(pulumi.output(nats.tls))).toBe(true);
    expect(await isSecretOutput(pulumi.output(nats.tls))).toBe(false);
    expect(await isSecretOutput(pulumi.output(nats.password))).toBe(true);
  });
});
