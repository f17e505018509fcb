import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { ObjectStoreDockerServer, rustfsHealthcheckTest } from "../../components/objectStore/docker";
import { ObjectStoreExternalServer } from "../../components/objectStore/external";
import { ObjectStoreKubernetesServer } from "../../components/objectStore/kubernetes";
import {
  objectStoreDockerSettings,
  objectStoreExternalSettings,
  objectStoreKubernetesSettings,
  type ObjectStoreExternalSettings,
} from "../../components/objectStore/settings";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  resetRecorder,
  settled,
  testDockerPlatform,
  testKubernetesPlatform,
  unwrapSecrets,
  valueOf,
} from "../harness";

const CONTAINER = "docker:index/container:Container";

/** What these tests' platforms set beyond the shared fixture's defaults. */
const DOCKER = { labels: { "stellaops.io/environment": "dev" } };
const KUBERNETES = { storageClass: "standard" };

describe("RustFS on Docker", () => {
  beforeEach(() => resetRecorder());

  it("runs the pinned image as uid 10001 on the platform network, healthy on /health/ready before anything waits on it", async () => {
    const server = new ObjectStoreDockerServer("rustfs", {
      platform: testDockerPlatform({ ...DOCKER, bindAddress: "10.0.0.7" }),
      docker: objectStoreDockerSettings.parse({ image: "registry.local/rustfs@sha256:" + "a".repeat(64) }),
    });
    const records = await settled();
    assertUniqueUrns(records);
    const container = findResource(CONTAINER, "rustfs-server");
    const image = findResource("docker:index/remoteImage:RemoteImage", "rustfs-image");
    expect(image.inputs).toMatchObject({ name: "registry.local/rustfs@sha256:" + "a".repeat(64), keepLocally: true });
    expect(container.inputs).toMatchObject({
      name: "stellaops-dev-rustfs",
      user: "10001:10001",
      restart: "unless-stopped",
      wait: true,
      networksAdvanced: [{ name: "stellaops-dev", aliases: ["rustfs"] }],
      // Only the S3 port, only on the configured address: the console is off.
      ports: [{ internal: 8080, external: 8080, ip: "10.0.0.7" }],
      volumes: [{ volumeName: "stellaops-dev-rustfs-data", containerPath: "/data" }],
      // Readiness, not liveness: /health answers 200 before storage and IAM are ready (rustfsFacts.ts).
      healthcheck: { tests: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health/ready"] },
    });
    expect(server.readyResources).toEqual([server.container]);
    expect(await valueOf(server.serviceUrl)).toBe("http://stellaops-dev-rustfs:8080");
    expect(await valueOf(server.adminUrl)).toBe("http://127.0.0.1:8080");
  });

  it("configures RustFS through its environment, the generated keys (secret, never the default) as uploaded files", async () => {
    const server = new ObjectStoreDockerServer("rustfs", {
      platform: testDockerPlatform(DOCKER),
      docker: objectStoreDockerSettings.parse({ port: 9000, hostPort: 19000, region: "eu-central-1" }),
    });
    await settled();
    const container = findResource(CONTAINER, "rustfs-server");
    // No key in the environment (what `docker inspect` shows): only the paths of the uploaded files.
    expect(isSecret(container.inputs["envs"])).toBe(false);
    const envs = container.inputs["envs"] as string[];
    const env = Object.fromEntries(envs.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    const accessKey = await valueOf(server.admin.username);
    const secretKey = await valueOf(server.admin.password);
    expect(JSON.stringify(envs)).not.toContain(accessKey);
    expect(JSON.stringify(envs)).not.toContain(secretKey);
    expect(env).toEqual({
      RUSTFS_ACCESS_KEY_FILE: "/etc/stellaops/rustfs-access-key",
      RUSTFS_SECRET_KEY_FILE: "/etc/stellaops/rustfs-secret-key",
      RUSTFS_ADDRESS: ":9000",
      RUSTFS_VOLUMES: "/data",
      RUSTFS_REGION: "eu-central-1",
      RUSTFS_CONSOLE_ENABLE: "false",
      // No call home to version.rustfs.com: a sealed site has no route to it.
      RUSTFS_CHECK_UPDATE: "false",
      // Logs to stdout (the container log docker.logs rotates), not to files under /logs in the container layer.
      RUSTFS_OBS_LOG_DIRECTORY: "",
    });
    // Root-owned uploads (the provider's archive carries uid 0), readable by uid 10001, the only user that runs.
    const uploads = container.inputs["uploads"] as Record<string, unknown>[];
    expect(uploads.map((u) => ({ ...u, content: unwrapSecrets(u["content"]) }))).toEqual([
      { file: "/etc/stellaops/rustfs-access-key", content: accessKey, permissions: "0444" },
      { file: "/etc/stellaops/rustfs-secret-key", content: secretKey, permissions: "0444" },
    ]);
    for (const u of uploads) expect(isSecret(u["content"])).toBe(true);
    expect(accessKey.toLowerCase()).not.toBe("rustfsadmin");
    expect(secretKey.toLowerCase()).not.toBe("rustfsadmin");
    expect(findResource("random:index/randomString:RandomString", "rustfs-access-key").inputs).toMatchObject({
      length: 20,
      lower: false,
      special: false,
    });
    expect(findResource("random:index/randomPassword:RandomPassword", "rustfs-secret-key").inputs).toMatchObject({
      length: 40,
      special: false,
    });
    expect(await isSecretOutput(server.admin.password)).toBe(true);
    expect(await isSecretOutput(server.admin.username)).toBe(true);
    expect(rustfsHealthcheckTest(9000).at(-1)).toBe("http://127.0.0.1:9000/health/ready");
    expect(await valueOf(server.adminEndpoint.port)).toBe(19000);
  });

  it("keeps the data volume: protected, retained, labels never cause a replacement", async () => {
    new ObjectStoreDockerServer("rustfs", {
      platform: testDockerPlatform(DOCKER),
      docker: objectStoreDockerSettings.parse({}),
    });
    await settled();
    const volume = findResource("docker:index/volume:Volume", "rustfs-data");
    expect(volume.inputs).toMatchObject({ name: "stellaops-dev-rustfs-data" });
    expect(volume.options).toMatchObject({ protect: true, retainOnDelete: true, ignoreChanges: ["labels"] });
  });

  it("publishes the console only when asked, on the bind address", async () => {
    new ObjectStoreDockerServer("rustfs", {
      platform: testDockerPlatform(DOCKER),
      docker: objectStoreDockerSettings.parse({ consoleEnabled: true, consoleHostPort: 19001 }),
    });
    await settled();
    const container = findResource(CONTAINER, "rustfs-server");
    expect(container.inputs["ports"]).toEqual([
      { internal: 8080, external: 8080, ip: "127.0.0.1" },
      { internal: 9001, external: 19001, ip: "127.0.0.1" },
    ]);
    expect(container.inputs["envs"]).toEqual(
      expect.arrayContaining(["RUSTFS_CONSOLE_ENABLE=true", "RUSTFS_CONSOLE_ADDRESS=:9001"]),
    );
  });
});

describe("RustFS on Kubernetes", () => {
  beforeEach(() => resetRecorder());

  it("a one-replica StatefulSet as uid 10001 with fsGroup, credentials from its Secret, a protected data claim", async () => {
    const server = new ObjectStoreKubernetesServer("rustfs", {
      platform: testKubernetesPlatform(KUBERNETES),
      kubernetes: objectStoreKubernetesSettings.parse({ storageSize: "100Gi" }),
    });
    const records = await settled();
    assertUniqueUrns(records);
    const sts = findResource("kubernetes:apps/v1:StatefulSet", "rustfs-server");
    const spec = sts.inputs["spec"] as Record<string, never>;
    expect(spec).toMatchObject({ replicas: 1, serviceName: "rustfs" });
    expect(spec).not.toHaveProperty("volumeClaimTemplates");
    const pod = (spec["template"] as { spec: Record<string, never> }).spec;
    expect(pod).toMatchObject({
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: "mirror-pull" }],
      securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, runAsNonRoot: true },
    });
    const [container] = pod["containers"] as Record<string, never>[];
    expect(container).toMatchObject({
      image: "docker.io/rustfs/rustfs:1.0.0",
      ports: [{ name: "s3", containerPort: 8080 }],
      // Ready (what the rollout and the Service wait for) only once storage and IAM are; alive on /health.
      readinessProbe: { httpGet: { path: "/health/ready", port: "s3" } },
      startupProbe: { httpGet: { path: "/health", port: "s3" } },
      livenessProbe: { httpGet: { path: "/health", port: "s3" } },
      securityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      },
    });
    expect(container["env"]).toEqual(
      expect.arrayContaining([
        {
          name: "RUSTFS_ACCESS_KEY",
          valueFrom: { secretKeyRef: { name: "rustfs-credentials", key: "RUSTFS_ACCESS_KEY" } },
        },
        {
          name: "RUSTFS_SECRET_KEY",
          valueFrom: { secretKeyRef: { name: "rustfs-credentials", key: "RUSTFS_SECRET_KEY" } },
        },
        { name: "RUSTFS_CONSOLE_ENABLE", value: "false" },
        { name: "RUSTFS_CHECK_UPDATE", value: "false" },
        // Logs to stdout, what `kubectl logs` reads.
        { name: "RUSTFS_OBS_LOG_DIRECTORY", value: "" },
      ]),
    );
    // The data lives on its own claim: protected, retained, and mounted at /data.
    const claim = findResource("kubernetes:core/v1:PersistentVolumeClaim", "rustfs-data");
    expect(claim.inputs).toMatchObject({
      metadata: { name: "rustfs-data", namespace: "stellaops" },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: "standard",
        resources: { requests: { storage: "100Gi" } },
      },
    });
    expect(claim.options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(pod["volumes"]).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "rustfs-data" } });
    expect(container["volumeMounts"]).toContainEqual({ name: "data", mountPath: "/data" });
    const secret = findResource("kubernetes:core/v1:Secret", "rustfs-credentials");
    expect(isSecret(secret.inputs["stringData"])).toBe(true);
    const service = findResource("kubernetes:core/v1:Service", "rustfs-service");
    expect(service.inputs["spec"]).toMatchObject({ type: "ClusterIP", ports: [{ name: "s3", port: 8080 }] });
    expect(server.readyResources).toEqual([server.statefulSet]);
    expect(await valueOf(server.serviceUrl)).toBe("http://rustfs.stellaops.svc:8080");
    expect(await valueOf(server.adminUrl)).toBe("http://rustfs.stellaops.svc:8080");
  });

  it("keeps the data claim's inputs free of platform labels, so no label edit touches it", async () => {
    const platform = testKubernetesPlatform({ ...KUBERNETES, labels: { team: "a" } });
    new ObjectStoreKubernetesServer("rustfs", { platform, kubernetes: objectStoreKubernetesSettings.parse({}) });
    await settled();
    const before = findResource("kubernetes:core/v1:PersistentVolumeClaim", "rustfs-data").inputs;
    resetRecorder();
    new ObjectStoreKubernetesServer("rustfs", {
      platform: testKubernetesPlatform({ ...KUBERNETES, labels: { team: "b" } }),
      kubernetes: objectStoreKubernetesSettings.parse({}),
    });
    await settled();
    expect(findResource("kubernetes:core/v1:PersistentVolumeClaim", "rustfs-data").inputs).toEqual(before);
    expect(findResource("kubernetes:apps/v1:StatefulSet", "rustfs-server").inputs).toMatchObject({
      metadata: { labels: { team: "b" } },
    });
  });

  it("lets this program reach RustFS through a configured admin endpoint (a port-forward) instead", async () => {
    const server = new ObjectStoreKubernetesServer("rustfs", {
      platform: testKubernetesPlatform(KUBERNETES),
      kubernetes: objectStoreKubernetesSettings.parse({ adminEndpoint: "http://127.0.0.1:18080" }),
    });
    await settled();
    expect(await valueOf(server.adminUrl)).toBe("http://127.0.0.1:18080");
    expect(await valueOf(server.serviceUrl)).toBe("http://rustfs.stellaops.svc:8080");
  });
});

describe("existing S3 server", () => {
  beforeEach(() => resetRecorder());

  function external(input: object): ObjectStoreExternalSettings {
    const parsed = objectStoreExternalSettings.parse({ accessKey: "stellaops", secretKey: "placeholder", ...input });
    return { ...parsed, secretKey: pulumi.secret("a-long-secret-key") };
  }

  it("derives endpoint, TLS and capabilities from config; creates nothing", async () => {
    const server = new ObjectStoreExternalServer("s3", {
      external: external({ endpoint: "https://s3.internal", flavor: "rustfs", region: "eu-west-1" }),
    });
    const records = await settled();
    expect(records.map((r) => r.type)).toEqual(["stellaops:objectStore:ExternalServer"]);
    expect(server.backend).toBe("rustfs");
    expect(server.https).toBe(true);
    expect(await valueOf(server.endpoint.port)).toBe(443);
    expect(await valueOf(server.serviceUrl)).toBe("https://s3.internal:443");
    expect(await valueOf(server.region)).toBe("eu-west-1");
    expect(await isSecretOutput(server.admin.password)).toBe(true);
    expect(server.readyResources).toEqual([]);
  });

  it("uses the admin endpoint for this program when one is given, and generic-s3 by default", async () => {
    const server = new ObjectStoreExternalServer("s3", {
      external: external({ endpoint: "http://minio.internal:9000", adminEndpoint: "http://127.0.0.1:19000" }),
    });
    expect(server.backend).toBe("generic-s3");
    expect(server.https).toBe(false);
    expect(await valueOf(server.adminUrl)).toBe("http://127.0.0.1:19000");
    expect(await valueOf(server.serviceUrl)).toBe("http://minio.internal:9000");
  });
});
