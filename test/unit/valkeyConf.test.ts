import { describe, expect, it } from "vitest";
import { adminAclUser, appAclUsers, DISABLED_DEFAULT_USER, REPLICATION_ACL_USER } from "../../components/valkey/model";
import { chartImage, valkeyChartValues } from "../../components/valkey/chartValues";
import { blockProblems } from "../support/blockProblems";
import { renderChartValkeyConf, renderValkeyConf } from "../../components/valkey/renderConf";
import {
  elastiCacheId,
  elastiCacheParameters,
  parameterGroupFamily,
  replicationProblems,
} from "../../components/valkey/elasticache";
import {
  valkeyAwsSettings,
  valkeyDockerSettings,
  valkeyExternalSettings,
  valkeyKubernetesSettings,
  valkeySettings,
} from "../../components/valkey/settings";

const defaults = valkeySettings.parse({});

function directives(conf: string): Map<string, string> {
  return new Map(
    conf
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("#"))
      .map((l) => {
        const [key, ...rest] = l.split(" ");
        return [key, rest.join(" ")] as [string, string];
      }),
  );
}

describe("valkey.conf", () => {
  it("turns AOF and RDB on, sets an explicit maxmemory with noeviction, protected mode, port, dir and aclfile", () => {
    const conf = directives(
      renderValkeyConf({
        settings: defaults,
        port: 6380,
        bind: ["127.0.0.1"],
        dir: "/data",
        aclFile: "/etc/valkey/users.acl",
      }),
    );
    expect(conf.get("appendonly")).toBe("yes");
    expect(conf.get("appendfsync")).toBe("everysec");
    expect(conf.get("save")).toBe("3600 1 300 100 60 10000");
    expect(conf.get("maxmemory")).toBe("1gb");
    expect(conf.get("maxmemory-policy")).toBe("noeviction");
    expect(conf.get("protected-mode")).toBe("yes");
    expect(conf.get("port")).toBe("6380");
    expect(conf.get("bind")).toBe("127.0.0.1");
    expect(conf.get("dir")).toBe("/data");
    expect(conf.get("aclfile")).toBe("/etc/valkey/users.acl");
    expect(conf.get("enable-debug-command")).toBe("no");
    expect(conf.get("enable-module-command")).toBe("no");
    expect(conf.has("tls-port")).toBe(false);
    expect(conf.has("requirepass")).toBe(false);
  });

  it("follows the settings: memory, policy, fsync and snapshot points", () => {
    const settings = valkeySettings.parse({
      maxmemory: "2GB",
      maxmemoryPolicy: "volatile-ttl",
      appendfsync: "always",
      savePoints: [{ seconds: 900, changes: 1 }],
    });
    const conf = directives(renderValkeyConf({ settings, port: 6379, bind: ["*"], dir: "/d", aclFile: "/a" }));
    expect(conf.get("maxmemory")).toBe("2gb");
    expect(conf.get("maxmemory-policy")).toBe("volatile-ttl");
    expect(conf.get("appendfsync")).toBe("always");
    expect(conf.get("save")).toBe("900 1");
    expect(() => valkeySettings.parse({ appendfsync: "no" })).toThrow(/is not allowed: it can lose/);
    expect(() => valkeySettings.parse({ maxmemoryPolicy: "random" })).toThrow(/must be one of: noeviction/);
  });

  it("serves TLS only when TLS files are configured", () => {
    const conf = directives(
      renderValkeyConf({
        settings: defaults,
        port: 6379,
        bind: ["*"],
        dir: "/data",
        aclFile: "/a",
        tls: { certFile: "/tls/tls.crt", keyFile: "/tls/tls.key", caFile: "/tls/ca.crt" },
      }),
    );
    expect(conf.get("port")).toBe("0");
    expect(conf.get("tls-port")).toBe("6379");
    expect(conf.get("tls-cert-file")).toBe("/tls/tls.crt");
    expect(conf.get("tls-key-file")).toBe("/tls/tls.key");
    expect(conf.get("tls-ca-cert-file")).toBe("/tls/ca.crt");
  });

  it("leaves port, bind, dir, TLS and aclfile to the chart in the chart's config fragment", () => {
    const conf = directives(renderChartValkeyConf(defaults));
    expect(conf.get("appendonly")).toBe("yes");
    expect(conf.get("maxmemory-policy")).toBe("noeviction");
    for (const key of ["port", "bind", "dir", "aclfile", "tls-port"]) expect(conf.has(key)).toBe(false);
  });
});

describe("ElastiCache model", () => {
  it("maps the engine version to the parameter-group family of its major version", () => {
    expect(parameterGroupFamily("7.2")).toBe("valkey7");
    expect(parameterGroupFamily("8.0")).toBe("valkey8");
    expect(parameterGroupFamily("8.1")).toBe("valkey8");
    expect(() => parameterGroupFamily("9.0")).toThrow(
      /"9.0" is not an ElastiCache Valkey version .* allowed: 7.2, 8.0, 8.1/,
    );
    expect(() => parameterGroupFamily("7.0")).toThrow(/allowed: 7.2, 8.0, 8.1/);
    expect(() => parameterGroupFamily("8")).toThrow(/allowed/);
  });

  it("sets noeviction on the parameter group unless configured otherwise", () => {
    expect(elastiCacheParameters(defaults)).toEqual([{ name: "maxmemory-policy", value: "noeviction" }]);
  });

  it("refuses automatic failover or Multi-AZ without a replica to promote, naming the key", () => {
    expect(replicationProblems({ nodes: 1, automaticFailover: true, multiAz: false })).toEqual([
      {
        path: ["automaticFailover"],
        message: "needs at least 2 nodes (aws.valkey.nodes is 1); set nodes >= 2 or automaticFailover false",
      },
    ]);
    expect(replicationProblems({ nodes: 2, automaticFailover: false, multiAz: true })).toEqual([
      {
        path: ["multiAz"],
        message: "needs aws.valkey.automaticFailover true (ElastiCache rejects Multi-AZ without it)",
      },
    ]);
    expect(replicationProblems({ nodes: 1, automaticFailover: false, multiAz: false })).toEqual([]);
    expect(replicationProblems(valkeyAwsSettings.parse({}))).toEqual([]);
  });

  it("builds stable ElastiCache ids of at most 40 characters", () => {
    expect(elastiCacheId("stellaops-dev", "valkey")).toBe("stellaops-dev-valkey");
    const long = elastiCacheId("stellaops-production-eu", "valkey", "stellaops-evidence-locker");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(elastiCacheId("stellaops-production-eu", "valkey", "stellaops-evidence-locker")).toBe(long);
    expect(elastiCacheId("stellaops-production-eu", "valkey", "stellaops-evidence-lockers")).not.toBe(long);
  });
});

describe("valkey chart values", () => {
  const users = [DISABLED_DEFAULT_USER, adminAclUser("stellaops-admin"), ...appAclUsers(defaults)];

  it("splits image references into the chart's registry, repository and tag (digest kept)", () => {
    expect(chartImage("docker.io/valkey/valkey:9.0.1")).toEqual({
      registry: "docker.io",
      repository: "valkey/valkey",
      tag: "9.0.1",
    });
    expect(chartImage(`mirror.local:5000/valkey/valkey:9.0.1@sha256:${"a".repeat(64)}`)).toEqual({
      registry: "mirror.local:5000",
      repository: "valkey/valkey",
      tag: `9.0.1@sha256:${"a".repeat(64)}`,
    });
    expect(chartImage("valkey:9")).toEqual({ registry: "docker.io", repository: "library/valkey", tag: "9" });
    expect(() => chartImage(`mirror.local/valkey@sha256:${"a".repeat(64)}`)).toThrow(/needs a tag/);
  });

  it("standalone: auth from the users Secret, persistent volume, Recreate strategy, the durability config", () => {
    const values = valkeyChartValues({
      settings: defaults,
      kubernetes: valkeyKubernetesSettings.parse({ storageClass: "fast" }),
      users,
      usersSecretName: "valkey-users",
      imagePullSecrets: ["mirror-pull"],
      labels: { team: "ops" },
      keepVolume: true,
    }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(values.auth).toEqual({
      enabled: true,
      usersExistingSecret: "valkey-users",
      aclUsers: {
        default: { permissions: "off resetpass resetkeys resetchannels -@all" },
        "stellaops-admin": { permissions: "resetkeys ~* resetchannels &* +@all" },
        stellaops: { permissions: expect.stringContaining("-@dangerous") },
      },
    });
    expect(values.dataStorage).toEqual({ enabled: true, requestedSize: "10Gi", className: "fast", keepPvc: true });
    expect(values.deploymentStrategy).toBe("Recreate");
    expect(values.replica).toBeUndefined();
    expect(values.valkeyConfig).toContain("maxmemory-policy noeviction");
    expect(values.imagePullSecrets).toEqual(["mirror-pull"]);
    expect(values.tls).toEqual({ enabled: false });
    expect(JSON.stringify(values)).not.toMatch(/password"/i);
  });

  it("replicas: a StatefulSet with per-pod volumes and a replication-only user", () => {
    const values = valkeyChartValues({
      settings: defaults,
      kubernetes: valkeyKubernetesSettings.parse({ replicas: 2, minReplicasToWrite: 1, tlsSecretName: "valkey-tls" }),
      users: [...users, REPLICATION_ACL_USER],
      usersSecretName: "valkey-users",
      replicationUser: "replication",
      storageClass: "platform-class",
      imagePullSecrets: [],
      labels: {},
      keepVolume: false,
    }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(values.replica).toEqual({
      enabled: true,
      replicas: 2,
      replicationUser: "replication",
      minReplicasToWrite: 1,
      persistence: { size: "10Gi", storageClass: "platform-class" },
    });
    expect(values.auth.aclUsers.replication.permissions).toBe("resetkeys resetchannels -@all +psync +replconf +ping");
    expect(values.dataStorage).toBeUndefined();
    expect(values.tls).toEqual({ enabled: true, existingSecret: "valkey-tls" });
  });

  it("refuses minReplicasToWrite the replicas cannot satisfy", () => {
    const problems = (input: object) => blockProblems(valkeyKubernetesSettings, input);
    expect(problems({ minReplicasToWrite: 1 })).toEqual([
      { path: ["minReplicasToWrite"], message: expect.stringMatching(/needs kubernetes.valkey.replicas >= 1/) },
    ]);
    expect(problems({ replicas: 1, minReplicasToWrite: 2 })).toEqual([
      { path: ["minReplicasToWrite"], message: expect.stringMatching(/would refuse every write/) },
    ]);
    expect(problems({ replicas: 1, minReplicasToWrite: 1 })).toEqual([]);
  });
});

describe("Valkey settings", () => {
  it("parses {} for every block except external, which needs host and adminPassword", () => {
    expect(valkeySettings.parse({})).toMatchObject({
      version: "9.0.1",
      aclMode: "shared",
      maxmemoryPolicy: "noeviction",
    });
    expect(valkeyDockerSettings.parse({})).toMatchObject({ image: "valkey/valkey:9.0.1", hostPort: 6379 });
    expect(valkeyKubernetesSettings.parse({}).chart).toEqual({
      repository: "https://valkey.io/valkey-helm/",
      chart: "valkey",
      version: "0.9.4",
    });
    expect(valkeyAwsSettings.parse({})).toMatchObject({
      engineVersion: "8.1",
      nodes: 2,
      automaticFailover: true,
      multiAz: true,
    });
    expect(() => valkeyExternalSettings.parse({})).toThrow();
    expect(valkeyExternalSettings.parse({ host: "cache.internal", adminPassword: "s3cret" })).toMatchObject({
      port: 6379,
      tls: false,
      adminUser: "default",
    });
    expect(() => valkeyExternalSettings.parse({ host: "h", adminPassword: "x", appPassword: "a,b" })).toThrow(
      /must not contain ','/,
    );
  });
});
