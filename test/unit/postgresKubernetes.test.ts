import { beforeEach, describe, expect, it } from "vitest";
import { PostgresKubernetesServer } from "../../components/postgres/kubernetes";
import { buildLayout } from "../../components/postgres/model";
import {
  layoutJobSuffix,
  layoutJobTimeout,
  PostgresLayoutJob,
  REPLACE_UNREADY_ANNOTATION,
} from "../../components/postgres/layoutJob";
import { credentialFingerprint, type RotationTokens } from "../../components/rotation";
import { postgresKubernetesSettings, postgresSettings } from "../../components/postgres/settings";
import { renderLayoutSql, scriptHash } from "../../components/postgres/renderSql";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  redactSecrets,
  resetRecorder,
  resourcesOfType,
  settled,
  testKubernetesPlatform,
  unwrapSecrets,
  valueOf,
} from "../harness";

const CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const JOB = "kubernetes:batch/v1:Job";
const SECRET = "kubernetes:core/v1:Secret";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

function deploy(
  k8sRaw: object = {},
  settingsRaw: object = {},
  optional: string[] = [],
  labels?: Record<string, string>,
  rotation?: RotationTokens,
) {
  const platform = testKubernetesPlatform({
    storageClass: "fast-ssd",
    labels: labels ?? { "app.kubernetes.io/part-of": "stellaops" },
  });
  const kubernetes = postgresKubernetesSettings.parse(k8sRaw);
  const settings = postgresSettings.parse(settingsRaw);
  const server = new PostgresKubernetesServer("postgres", { platform, settings, kubernetes });
  const layout = new PostgresLayoutJob("postgres-layout", {
    server,
    platform,
    settings,
    kubernetes,
    optionalServices: optional,
    rotation,
  });
  return { platform, server, layout, settings };
}

describe("PostgresKubernetesServer (CloudNativePG)", () => {
  beforeEach(() => resetRecorder());

  it("creates a Cluster with pinned image, instances, storage and its superuser secret, and waits for Ready", async () => {
    deploy({ instances: 3, storageSize: "50Gi", imageName: "registry.local/cnpg/postgresql:18.1" });
    const records = await settled();
    assertUniqueUrns(records);
    const component = findResource("stellaops:postgres:KubernetesServer", "postgres");
    const provider = findResource("pulumi:providers:kubernetes", "kubernetes");
    const cluster = findResource(CLUSTER, "postgres-cluster");
    const secret = findResource(SECRET, "postgres-superuser");
    for (const r of [cluster, secret]) {
      expect(r.parent).toBe(component.urn);
      expect(r.provider).toBe(`${provider.urn}::kubernetes-id`);
    }
    expect(unwrapSecrets(cluster.inputs)).toMatchObject({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: {
        name: "stellaops-postgres",
        namespace: "stellaops",
        annotations: { "pulumi.com/waitFor": "condition=Ready" },
      },
      spec: {
        instances: 3,
        imageName: "registry.local/cnpg/postgresql:18.1",
        imagePullSecrets: [{ name: "mirror-pull" }],
        enableSuperuserAccess: true,
        superuserSecret: { name: "stellaops-postgres-superuser" },
        storage: { size: "50Gi", storageClass: "fast-ssd" },
        postgresql: { parameters: { max_connections: "200", shared_buffers: "256MB" } },
      },
    });
    expect(cluster.options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(cluster.dependencies).toContain(secret.urn);
    expect(unwrapSecrets(secret.inputs)).toMatchObject({
      metadata: { name: "stellaops-postgres-superuser", namespace: "stellaops" },
      type: "kubernetes.io/basic-auth",
      stringData: { username: "postgres" },
    });
    expect(
      isSecret((secret.inputs["stringData"] as Record<string, unknown>)["password"]) ||
        isSecret(secret.inputs["stringData"]),
    ).toBe(true);
    expect(resourcesOfType(RELEASE)).toEqual([]);
  });

  it("installs the operator from the configured chart source when asked, before the Cluster", async () => {
    deploy({
      operator: {
        install: true,
        chartSource: { repository: "oci://registry.local/charts", chart: "cloudnative-pg", version: "0.27.0" },
      },
    });
    await settled();
    const release = findResource(RELEASE, "postgres-operator");
    expect(release.inputs).toMatchObject({
      chart: "oci://registry.local/charts/cloudnative-pg",
      version: "0.27.0",
      namespace: "cnpg-system",
      createNamespace: true,
      atomic: true,
    });
    expect(release.inputs["repositoryOpts"]).toBeUndefined();
    expect(findResource(CLUSTER, "postgres-cluster").dependencies).toContain(release.urn);
  });

  it("uses a vendored chart or an https repository just as well", async () => {
    deploy({
      operator: {
        install: true,
        chartSource: { path: "charts/cloudnative-pg-0.27.0.tgz", chart: "cloudnative-pg", version: "0.27.0" },
      },
    });
    await settled();
    expect(findResource(RELEASE, "postgres-operator").inputs).toMatchObject({
      chart: "charts/cloudnative-pg-0.27.0.tgz",
    });
    resetRecorder();
    deploy({ operator: { install: true } });
    await settled();
    expect(findResource(RELEASE, "postgres-operator").inputs).toMatchObject({
      chart: "cloudnative-pg",
      repositoryOpts: { repo: "https://cloudnative-pg.github.io/charts" },
    });
  });

  it("exposes the in-cluster read-write service over TLS as the contract", async () => {
    const { server } = deploy();
    await settled();
    expect(await valueOf(server.endpoint.host)).toBe("stellaops-postgres-rw.stellaops.svc");
    expect(await valueOf(server.endpoint.port)).toBe(5432);
    expect(await valueOf(server.tls)).toBe(true);
    expect(await isSecretOutput(server.admin.password)).toBe(true);
    expect(await valueOf(server.readyResources[0].urn)).toBe(findResource(CLUSTER, "postgres-cluster").urn);
  });

  it("keeps the Cluster's storage unchanged when unrelated settings change", async () => {
    deploy();
    await settled();
    const before = findResource(CLUSTER, "postgres-cluster");
    resetRecorder();
    deploy({}, {}, [], { "app.kubernetes.io/part-of": "stellaops", team: "platform" });
    await settled();
    // The stack's labels do not reach the Cluster at all.
    expect(findResource(CLUSTER, "postgres-cluster").inputs).toEqual(before.inputs);
    resetRecorder();
    deploy(
      {
        instances: 3,
        maxConnections: 400,
        imageName: "ghcr.io/cloudnative-pg/postgresql:18.2",
        operator: { install: true },
      },
      { readGrants: [{ service: "notify", schema: "scheduler" }], roleDefaults: { connectionLimit: 5 } },
    );
    await settled();
    const after = findResource(CLUSTER, "postgres-cluster");
    const spec = (r: typeof after) => (r.inputs["spec"] as Record<string, unknown>)["storage"];
    expect(spec(after)).toEqual(spec(before));
    expect((after.inputs["metadata"] as { name: string }).name).toBe("stellaops-postgres");
    expect(after.options).toEqual(before.options);
  });
});

describe("PostgresLayoutJob (the layout applied in-cluster)", () => {
  beforeEach(() => resetRecorder());

  it("ships the rendered script in a ConfigMap and runs it with psql in a Job named by its and the verifiers' hash", async () => {
    const { settings } = deploy({}, { readGrants: [{ service: "notify", schema: "scheduler" }] }, ["graph"]);
    const records = await settled();
    assertUniqueUrns(records);
    const script = renderLayoutSql(buildLayout(settings, ["graph"]));
    const hash = scriptHash(script);
    const configMap = findResource(CONFIG_MAP, "postgres-layout-script");
    expect(configMap.inputs).toMatchObject({
      metadata: { name: `stellaops-postgres-layout-${hash}` },
      data: { "layout.sql": script },
    });
    const job = findResource(JOB, "postgres-layout-job");
    expect(job.options.deleteBeforeReplace).toBe(true);
    const inputs = unwrapSecrets(job.inputs) as {
      metadata: { name: string };
      spec: {
        template: {
          spec: { containers: { image: string; command: string[]; env: { name: string; value: string }[] }[] };
        };
      };
    };
    const { PGPASSWORD: _admin, ...verifiers } = unwrapSecrets(
      findResource(SECRET, "postgres-layout-credentials").inputs["stringData"],
    ) as Record<string, string>;
    expect(inputs.metadata.name).toBe(
      `stellaops-postgres-layout-${layoutJobSuffix(hash, credentialFingerprint(verifiers))}`,
    );
    const container = inputs.spec.template.spec.containers[0];
    expect(container.image).toBe("ghcr.io/cloudnative-pg/postgresql:18.1-standard-trixie");
    expect(container.command[2]).toContain('-v pw_graph="$PW_GRAPH"');
    expect(container.command[2]).toContain("-f /layout/layout.sql");
    expect(Object.fromEntries(container.env.map((e) => [e.name, e.value]))).toMatchObject({
      PGHOST: "stellaops-postgres-rw.stellaops.svc",
      PGPORT: "5432",
      PGUSER: "postgres",
      PGSSLMODE: "require",
    });
  });

  it("reruns the Job (a new name) when a role password is rotated, and only then", async () => {
    const jobName = async (rotation?: RotationTokens) => {
      resetRecorder();
      deploy({}, {}, [], undefined, rotation);
      await settled();
      return (findResource(JOB, "postgres-layout-job").inputs["metadata"] as { name: string }).name;
    };
    const before = await jobName();
    expect(await jobName({ "postgres.roles.scanner": "2026-12-01" })).not.toBe(before);
    // The superuser's password is CloudNativePG's to apply; the layout need not run again for it.
    expect(await jobName({ "postgres.admin": "2026-12-01" })).toBe(before);
    expect(await jobName()).toBe(before);
  });

  it("replaces a failed Job at the next up and waits longer than the Job's own deadline", async () => {
    deploy({ layoutJobDeadlineSeconds: 900 });
    await settled();
    const job = findResource(JOB, "postgres-layout-job");
    expect((job.inputs["metadata"] as { annotations: Record<string, string> }).annotations).toEqual({
      [REPLACE_UNREADY_ANNOTATION]: "true",
    });
    expect(REPLACE_UNREADY_ANNOTATION).toBe("pulumi.com/replaceUnready");
    expect(job.options.customTimeouts).toEqual({ create: "1200s", update: "1200s", delete: "" });
    const deadline = (job.inputs["spec"] as { activeDeadlineSeconds: number }).activeDeadlineSeconds;
    expect(deadline).toBe(900);
    expect(Number.parseInt(layoutJobTimeout(deadline), 10)).toBeGreaterThan(deadline);
    resetRecorder();
    deploy({ layoutJobDeadlineSeconds: 3600 });
    await settled();
    expect(findResource(JOB, "postgres-layout-job").options.customTimeouts).toMatchObject({ create: "3900s" });
  });

  it("keeps every password in a Secret (as SCRAM verifiers for the roles), none in the Job or ConfigMap", async () => {
    deploy();
    const records = await settled();
    const secret = findResource(SECRET, "postgres-layout-credentials");
    const data = secret.inputs["stringData"] as Record<string, unknown>;
    const plain = unwrapSecrets(data) as Record<string, string>;
    expect(Object.keys(plain).sort()).toEqual([
      "PGPASSWORD",
      "PW_AUTHORITY",
      "PW_CONCELIER",
      "PW_EXCITITOR",
      "PW_NOTIFY",
      "PW_ORCHESTRATOR",
      "PW_POLICY",
      "PW_SCANNER",
      "PW_SCHEDULER",
    ]);
    for (const [key, value] of Object.entries(data)) expect(isSecret(value) || isSecret(data), key).toBe(true);
    expect(plain["PW_SCANNER"]).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(plain["PGPASSWORD"]).toMatch(/^fake-password-postgres-superuser-password/);
    const job = findResource(JOB, "postgres-layout-job");
    const configMap = findResource(CONFIG_MAP, "postgres-layout-script");
    expect(JSON.stringify(unwrapSecrets(job.inputs))).not.toMatch(/fake-password|SCRAM-SHA-256\$/);
    expect(JSON.stringify(configMap.inputs)).not.toMatch(/fake-password|SCRAM-SHA-256\$/);
    expect(JSON.stringify(redactSecrets(records))).not.toMatch(/fake-password|SCRAM-SHA-256\$/);
  });

  it("waits for the Cluster (the server's readyResources) and nothing else outside the layout", async () => {
    deploy();
    const records = await settled();
    const cluster = findResource(CLUSTER, "postgres-cluster");
    const serverComponent = findResource("stellaops:postgres:KubernetesServer", "postgres");
    const component = findResource("stellaops:postgres:LayoutJob", "postgres-layout");
    const allowed = new Set(
      records.filter((r) => [component.urn, serverComponent.urn].includes(r.parent ?? "")).map((r) => r.urn),
    );
    for (const r of [
      findResource(JOB, "postgres-layout-job"),
      findResource(CONFIG_MAP, "postgres-layout-script"),
      findResource(SECRET, "postgres-layout-credentials"),
    ]) {
      expect(r.dependencies, r.name).toContain(cluster.urn);
      expect(r.parent).toBe(component.urn);
      expect(
        r.dependencies.filter((d) => !allowed.has(d) && d !== cluster.urn),
        r.name,
      ).toEqual([]);
    }
  });

  it("re-runs (new Job name) exactly when the script changes", async () => {
    const jobName = async (k8sRaw: object, settingsRaw: object) => {
      resetRecorder();
      deploy(k8sRaw, settingsRaw);
      await settled();
      return (findResource(JOB, "postgres-layout-job").inputs["metadata"] as { name: string }).name;
    };
    const base = await jobName({}, {});
    expect(await jobName({ instances: 3, maxConnections: 300 }, {})).toBe(base);
    expect(await jobName({}, { readGrants: [{ service: "notify", schema: "scheduler" }] })).not.toBe(base);
    expect(await jobName({}, { serviceOverrides: { scanner: { connectionLimit: 7 } } })).not.toBe(base);
  });

  it("outputs per-service connections over TLS, credentials secret", async () => {
    const { layout } = deploy();
    await settled();
    const scanner = layout.connections["scanner"];
    expect(await isSecretOutput(scanner.password)).toBe(true);
    expect(await isSecretOutput(scanner.connectionString)).toBe(true);
    expect(await valueOf(scanner.connectionString)).toMatch(
      /^Host=stellaops-postgres-rw\.stellaops\.svc;Port=5432;Database=stellaops;Username=stellaops_scanner;Password=fake-password-postgres-layout-password-scanner[-x]*;SSL Mode=Require$/,
    );
  });
});
