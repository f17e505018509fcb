import { join } from "node:path";
import { AckPolicy, StorageType, StringCodec } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chartUsers,
  natsChartValues,
  quotedForEnv,
  ROUTE_BCRYPT_KEY,
  ROUTE_PASSWORD_KEY,
} from "../../components/nats/chartValues";
import { natsAppUserSpecs } from "../../components/nats/model";
import { natsKubernetesSettings, natsSettings, type NatsSettings } from "../../components/nats/settings";
import { serverBinaryOrSkip, waitUntil } from "../support/servers";
import { FIXTURES, fixtureFor } from "./natsFixtures";
import {
  allocatePorts,
  configTest,
  credentialsOf,
  startNatsServer,
  type NatsPorts,
  type NatsTestServer,
} from "./natsServer";

/**
 * The Kubernetes rendering on a real nats-server: the chart values this program passes (config.merge, the
 * cluster merge, the container env from the credentials Secret), assembled the way nats chart 1.x assembles
 * nats.conf: its own blocks as JSON, merged with our `merge` values, `<< x >>` strings unquoted
 * (the chart's `nats.formatConfig`). Test-only deviations, because the test has no cluster DNS and shares a
 * machine: every listener binds 127.0.0.1, and route URLs name 127.0.0.1:<port> instead of
 * `<release>-<i>.<release>-headless:6222` (everything else in them, including the credentials, is kept).
 */

const bin = serverBinaryOrSkip("nats-server", "nats-server");
const sc = StringCodec();

/* eslint-disable @typescript-eslint/no-explicit-any -- chart values are free-form YAML */

/** What the chart's `nats.formatConfig` does to the JSON it renders. */
function formatConfig(doc: unknown): string {
  return JSON.stringify(doc, null, 4)
    .replace(/".*\$include": "(.*)",?/g, "include $1;")
    .replace(/"<<\s+(.*)\s+>>"/g, "$1");
}

function deepMerge(base: any, overlay: any): any {
  if (Array.isArray(overlay) || typeof overlay !== "object" || overlay === null) return overlay;
  const out = { ...base };
  for (const [k, v] of Object.entries(overlay)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
}

function values(settings: NatsSettings, replicas: number): any {
  return natsChartValues({
    settings,
    kubernetes: natsKubernetesSettings.parse({ replicas }),
    appUsers: natsAppUserSpecs(settings),
    credentialsSecretName: "nats-credentials",
    imagePullSecrets: [],
    labels: {},
    podAnnotations: {},
  });
}

/** The credentials Secret's data, with the fixtures' hashes where the program would have generated ones. */
function secretData(settings: NatsSettings): Record<string, string> {
  const data: Record<string, string> = {
    [ROUTE_PASSWORD_KEY]: FIXTURES.route.password,
    [ROUTE_BCRYPT_KEY]: quotedForEnv(FIXTURES.route.bcrypt),
  };
  for (const u of chartUsers(natsAppUserSpecs(settings))) data[u.key] = quotedForEnv(fixtureFor(u.name).bcrypt);
  return data;
}

/** The container environment as Kubernetes would build it: Secret references resolved, $(VAR) expanded. */
function containerEnv(v: any, data: Record<string, string>, clusterPorts: number[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of Object.keys(v.container.env).sort()) {
    const entry = v.container.env[name];
    if (typeof entry === "string") {
      env[name] = entry
        .replace(/\$\(([A-Z0-9_]+)\)/g, (_m, ref: string) => env[ref] ?? `$(${ref})`)
        .replace(/nats-(\d+)\.nats-headless:6222/, (_m, i: string) => `127.0.0.1:${clusterPorts[Number(i)]}`);
    } else {
      env[name] = data[entry.valueFrom.secretKeyRef.key];
    }
  }
  return env;
}

/** nats.conf as chart 1.x writes it (config.yaml, jetstream.yaml, cluster.yaml), then our merges. */
function chartStyleConf(v: any, name: string, ports: NatsPorts, storeDir: string, clusterPorts: number[]): string {
  const c = v.config;
  let doc: any = {
    server_name: name,
    lame_duck_grace_period: "10s",
    lame_duck_duration: "30s",
    pid_file: join(storeDir, "..", `${name}.pid`),
    host: "127.0.0.1",
    port: ports.client,
    http: `127.0.0.1:${ports.monitor}`,
    jetstream: {
      max_memory_store: `<< ${c.jetstream.memoryStore.maxSize} >>`,
      store_dir: storeDir,
      max_file_store: `<< ${c.jetstream.fileStore.maxSize} >>`,
    },
  };
  if (c.cluster.enabled) {
    const chartCluster = {
      name: "nats",
      host: "127.0.0.1",
      port: ports.cluster,
      no_advertise: true,
      routes: clusterPorts.map((p) => `nats://127.0.0.1:${p}`),
    };
    doc.cluster = deepMerge(chartCluster, c.cluster.merge);
  }
  doc = deepMerge(doc, c.merge);
  return formatConfig(doc);
}

describe.skipIf(!bin)("NATS chart configuration on a real server", () => {
  describe("single server, per-service users", () => {
    const settings = natsSettings.parse({ enabled: true, userMode: "per-service" });
    const v = values(settings, 1);
    const env = containerEnv(v, secretData(settings), []);
    let server: NatsTestServer;

    beforeAll(async () => {
      server = await startNatsServer(bin!, {
        render: (ports, storeDir) => chartStyleConf(v, "nats-0", ports, storeDir, []),
        env,
      });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("passes the server's own configuration test with the Secret's variables set", () => {
      expect(configTest(bin!, server.confPath, env)).toMatch(/is valid/);
      // Every password in the file is a variable: the ConfigMap holds no credential at all.
      const text = JSON.stringify(v.config);
      expect(text).not.toMatch(/\$2a\$/);
      for (const f of Object.values(FIXTURES)) expect(text).not.toContain(f.password);
    });

    it("authenticates users against the hashes delivered through the environment", async () => {
      await expect(server.client()).rejects.toThrow(/Authorization Violation/i);
      const scanner = await server.client(credentialsOf(settings, "scanner"));
      const jsm = await scanner.jetstreamManager();
      await jsm.streams.add({ name: "SCANNER_JOBS", subjects: ["scanner.jobs"], storage: StorageType.File });
      await scanner.jetstream().publish("scanner.jobs", sc.encode("k8s-1"));
      await expect(scanner.request("scheduler.planner", undefined, { timeout: 1000 })).rejects.toThrow(
        /Permissions Violation/,
      );
      const admin = await server.client({ user: "admin", pass: FIXTURES.admin.password });
      expect((await admin.request("$SYS.REQ.SERVER.PING", undefined, { timeout: 2000 })).data.length).toBeGreaterThan(
        0,
      );
    });
  });

  describe("three-server JetStream cluster with authenticated routes", () => {
    const settings = natsSettings.parse({ enabled: true });
    const v = values(settings, 3);
    const servers: NatsTestServer[] = [];
    let rogue: NatsTestServer | undefined;
    let clusterPorts: number[];

    beforeAll(async () => {
      const ports = await Promise.all([0, 1, 2].map(() => allocatePorts()));
      clusterPorts = ports.map((p) => p.cluster);
      const env = containerEnv(v, secretData(settings), clusterPorts);
      servers.push(
        ...(await Promise.all(
          ports.map((p, i) =>
            startNatsServer(bin!, {
              ports: p,
              render: (own, storeDir) => chartStyleConf(v, `nats-${i}`, own, storeDir, clusterPorts),
              env,
            }),
          ),
        )),
      );
    });
    afterAll(async () => {
      await Promise.all([...servers, ...(rogue ? [rogue] : [])].map((s) => s.stop()));
    });

    it("forms a cluster with JetStream replicated across the three servers", async () => {
      for (const s of servers) {
        await waitUntil(
          async () => JSON.parse((await s.monitor("/routez")).body).num_routes === 2,
          "every server routed to the other two",
        );
      }
      const app = await servers[0].client(credentialsOf(settings, "stellaops"));
      const jsm = await app.jetstreamManager();
      await waitUntil(async () => {
        try {
          await jsm.streams.add({ name: "SCHEDULER_RUNNER", subjects: ["scheduler.runner"], num_replicas: 3 });
          return true;
        } catch {
          return false; // the meta leader may still be electing
        }
      }, "a replicated stream");
      await app.jetstream().publish("scheduler.runner", sc.encode("run-1"));
      await jsm.consumers.add("SCHEDULER_RUNNER", { durable_name: "runners", ack_policy: AckPolicy.Explicit });
      const other = await servers[2].client(credentialsOf(settings, "stellaops"));
      const msg = await (await other.jetstream().consumers.get("SCHEDULER_RUNNER", "runners")).next({ expires: 5000 });
      expect(sc.decode(msg!.data)).toBe("run-1");
      expect(await msg!.ackAck()).toBe(true);
      const info = await jsm.streams.info("SCHEDULER_RUNNER");
      expect(1 + (info.cluster?.replicas?.length ?? 0)).toBe(3);
    });

    it("refuses a server that cannot authenticate its routes", async () => {
      // Same cluster name and route targets as the members, but route URLs without credentials.
      const ports = await allocatePorts();
      rogue = await startNatsServer(bin!, {
        ports,
        render: (own, storeDir) =>
          formatConfig({
            server_name: "rogue",
            host: "127.0.0.1",
            port: own.client,
            http: `127.0.0.1:${own.monitor}`,
            jetstream: { store_dir: storeDir },
            cluster: {
              name: "nats",
              host: "127.0.0.1",
              port: own.cluster,
              no_advertise: true,
              routes: clusterPorts.map((p) => `nats://127.0.0.1:${p}`),
            },
          }),
        waitForHealthz: false,
      });
      // The members see the attempts and refuse them.
      await waitUntil(
        async () => servers.some((s) => /Router connection closed: Authentication Failure/.test(s.log())),
        "a refused route attempt in a member's log",
      );
      expect(JSON.parse((await rogue.monitor("/routez")).body).num_routes).toBe(0);
      for (const s of servers) expect(JSON.parse((await s.monitor("/routez")).body).num_routes).toBe(2);
    });
  });
});
