import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../profiles/config";

/**
 * Mistakes only a component used to notice (PostgreSQL layout, object-storage backend, …) are reported when the
 * stack config is loaded, each with its key, all in one error.
 */

const NS = "stellaops-infra";

function raw(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`${NS}:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** The ConfigError parseStackConfig throws (secret-named fields count as set with --secret). */
function configError(values: Record<string, unknown>): ConfigError {
  try {
    parseStackConfig(raw(values), "test", () => true);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(pulumi.RunError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

function problemsOf(values: Record<string, unknown>): string[] {
  return configError(values).problems.map((p) => `${p.key}: ${p.message}`);
}

const external = (objectStore: Record<string, unknown> = {}) => ({
  postgres: { host: "db.internal", adminPassword: "pw-0123456789" },
  valkey: { host: "cache.internal", adminPassword: "pw-0123456789" },
  objectStore: {
    endpoint: "https://s3.internal:9000",
    accessKey: "stellaops",
    secretKey: "pw-0123456789",
    ...objectStore,
  },
});

const awsNetwork = {
  region: "eu-west-1",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  allowedCidrs: ["10.0.0.0/16"],
};

describe("PostgreSQL layout mistakes are config problems", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "settings for a service that is not enabled",
      { serviceOverrides: { graph: { connectionLimit: 5 } } },
      `${NS}:postgres.serviceOverrides.graph: service "graph" is not enabled in this deployment (add it to services.optional)`,
    ],
    [
      "a read grant on a schema the layout does not have",
      { readGrants: [{ service: "notify", schema: "nosuch" }] },
      `${NS}:postgres.readGrants[0].schema: "nosuch" is not a schema in this layout; allowed: authority,`,
    ],
    [
      "a read grant on the service's own schema",
      { readGrants: [{ service: "scanner", schema: "scanner" }] },
      `${NS}:postgres.readGrants[0]: scanner already owns scanner; a read grant is for another service`,
    ],
    [
      "a read grant across databases",
      { serviceDatabases: { authority: "auth" }, readGrants: [{ service: "scanner", schema: "authority" }] },
      `${NS}:postgres.readGrants[0]: authority lives in database auth but scanner connects to stellaops; PostgreSQL cannot read across databases`,
    ],
    [
      "an extra schema that collides with a service's schema",
      { extraSchemas: [{ service: "notify", schema: "scanner" }] },
      `${NS}:postgres.extraSchemas[0].schema: "scanner" names a schema that already exists in the layout`,
    ],
    [
      "an extra schema named public",
      { extraSchemas: [{ service: "notify", schema: "public" }] },
      `${NS}:postgres.extraSchemas[0].schema: "public" is a schema every database already has (public, information_schema); it cannot be owned by a service`,
    ],
    [
      "an extension in a database the layout does not have",
      { extensions: [{ name: "pgcrypto", database: "other" }] },
      `${NS}:postgres.extensions[0].database: "other" is not a database of this layout; allowed: stellaops`,
    ],
    [
      "an extension in a schema of another database",
      { extensions: [{ name: "citext", schema: "nosuch" }] },
      `${NS}:postgres.extensions[0].schema: "nosuch" is not a schema of database stellaops; allowed: public,`,
    ],
    [
      "a role name pattern that overflows 63 characters",
      { roleNamePattern: `${"x".repeat(60)}_{service}` },
      `${NS}:postgres.roleNamePattern: "${"x".repeat(60)}_{service}" gives`,
    ],
  ];
  it.each(cases)("%s", (_name, postgres, expected) => {
    const problems = problemsOf({ profile: "docker", postgres });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it("is satisfied once the optional service is enabled", () => {
    const cfg = parseStackConfig(
      raw({
        profile: "docker",
        services: { optional: ["graph"] },
        postgres: { serviceOverrides: { graph: { connectionLimit: 5 } } },
      }),
      "test",
    );
    expect(cfg.postgres.serviceOverrides).toEqual({ graph: { connectionLimit: 5 } });
  });
});

describe("object-storage backend mistakes are config problems", () => {
  it("refuses Object Lock and lifecycle expiration on a generic-s3 server, each with its key", () => {
    const problems = problemsOf({
      profile: "external",
      external: external(),
      objectStore: {
        objectLock: { enabled: true, days: 30 },
        lifecycle: { expireAfterDays: { replay: 30 }, noncurrentVersionsExpireAfterDays: 7 },
      },
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^stellaops-infra:objectStore\.objectLock\.enabled: the generic-s3 backend does not support S3 Object Lock; .*\(aws, rustfs\)$/,
      ),
      expect.stringMatching(
        /^stellaops-infra:objectStore\.lifecycle\.expireAfterDays\.replay: the generic-s3 backend does not support lifecycle expiration/,
      ),
      expect.stringMatching(
        /^stellaops-infra:objectStore\.lifecycle\.noncurrentVersionsExpireAfterDays: the generic-s3 backend does not support lifecycle expiration/,
      ),
    ]);
  });

  it("accepts the same settings on an external RustFS server and on the docker profile (RustFS)", () => {
    const objectStore = { objectLock: { enabled: true, days: 30 }, lifecycle: { expireAfterDays: { replay: 30 } } };
    expect(() =>
      parseStackConfig(
        raw({ profile: "external", external: external({ flavor: "rustfs" }), objectStore }),
        "test",
        () => true,
      ),
    ).not.toThrow();
    expect(() => parseStackConfig(raw({ profile: "docker", objectStore }), "test")).not.toThrow();
  });

  it("requires a bucket prefix on AWS while buckets keep their default names", () => {
    expect(problemsOf({ profile: "aws", aws: awsNetwork })).toEqual([
      expect.stringMatching(
        /^stellaops-infra:objectStore\.bucketPrefix: required on AWS while buckets\.scannerArtifacts, .*buckets\.replay/,
      ),
    ]);
  });
});

describe("KMS keys on AWS are key ARNs in the stack's region", () => {
  const KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b7c3f3e-5d7c-4c9a-9a59-1f2e3d4c5b6a";
  const MRK = "arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  const onAws = (aws: Record<string, unknown>, objectStore: Record<string, unknown> = {}) => ({
    profile: "aws",
    aws: { ...awsNetwork, ...aws, objectStore },
    objectStore: { bucketPrefix: "acme-" },
  });
  const parses = (values: Record<string, unknown>) => () => parseStackConfig(raw(values), "test", () => true);

  it("accepts a key ARN, a multi-Region key ARN and another partition's key ARN in aws.region", () => {
    expect(parses(onAws({ kmsKeyArn: KEY }, { kmsKeyArn: MRK }))).not.toThrow();
    const china = "arn:aws-cn:kms:cn-north-1:123456789012:key/0b7c3f3e-5d7c-4c9a-9a59-1f2e3d4c5b6a";
    expect(parses(onAws({ region: "cn-north-1", kmsKeyArn: china }))).not.toThrow();
  });

  const notKeyArns: [string, string][] = [
    ["an alias ARN", "arn:aws:kms:eu-west-1:123456789012:alias/stellaops"],
    ["a bare key id", "0b7c3f3e-5d7c-4c9a-9a59-1f2e3d4c5b6a"],
    ["an alias name", "alias/stellaops"],
    ["an upper-case key id (KMS returns it lower-case)", KEY.replace("0b7c3f3e", "0B7C3F3E")],
    ["a key id that is not a UUID", "arn:aws:kms:eu-west-1:123456789012:key/0b7c3f3e"],
  ];
  it.each(notKeyArns)("refuses %s, once for each KMS key setting, naming the key", (_what, value) => {
    expect(problemsOf(onAws({ kmsKeyArn: value }, { kmsKeyArn: value }))).toEqual([
      expect.stringMatching(
        /^stellaops-infra:aws\.kmsKeyArn: must be a KMS key ARN, arn:<partition>:kms:.*not an alias/,
      ),
      expect.stringMatching(/^stellaops-infra:aws\.objectStore\.kmsKeyArn: must be a KMS key ARN, arn:<partition>/),
    ]);
  });

  it("refuses a key in another region, once for each key setting, naming the key and both regions", () => {
    const elsewhere = KEY.replace("eu-west-1", "us-east-1");
    expect(problemsOf(onAws({ kmsKeyArn: elsewhere }))).toEqual([
      "stellaops-infra:aws.kmsKeyArn: must be a key in aws.region (eu-west-1), not us-east-1: KMS keys are regional; use the key (or the multi-Region replica) in eu-west-1",
    ]);
    expect(problemsOf(onAws({ kmsKeyArn: elsewhere }, { kmsKeyArn: elsewhere }))).toEqual([
      expect.stringMatching(
        /^stellaops-infra:aws\.kmsKeyArn: must be a key in aws\.region \(eu-west-1\), not us-east-1/,
      ),
      expect.stringMatching(/^stellaops-infra:aws\.objectStore\.kmsKeyArn: must be a key in aws\.region \(eu-west-1\)/),
    ]);
  });
});

const DIGEST = `@sha256:${"a".repeat(64)}`;

describe("Valkey and NATS mistakes are config problems", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "per-service key patterns in shared ACL mode",
      { profile: "docker", valkey: { extraKeyPatterns: { notify: ["scanner.event.*"] } } },
      `${NS}:valkey.extraKeyPatterns: applies only with valkey.aclMode "per-service"`,
    ],
    [
      "key patterns for a service that is not enabled",
      { profile: "docker", valkey: { aclMode: "per-service", extraChannelPatterns: { graph: ["graph.*"] } } },
      `${NS}:valkey.extraChannelPatterns: names service(s) not enabled in this deployment: graph; enabled:`,
    ],
    [
      "the application user named like the admin user",
      {
        profile: "aws",
        aws: awsNetwork,
        objectStore: { bucketPrefix: "acme-" },
        valkey: { appUser: "ops", adminUser: "ops" },
      },
      `${NS}:valkey.appUser: two Valkey ACL users are named "ops": valkey.appUser and valkey.adminUser must differ`,
    ],
    [
      "a per-service user named like the admin user",
      { profile: "docker", valkey: { aclMode: "per-service", appUser: "so", adminUser: "so-scanner" } },
      `${NS}:valkey.appUser: two Valkey ACL users are named "so-scanner": scanner's per-service user (valkey.appUser "so" + "-scanner") and valkey.adminUser must differ`,
    ],
    [
      "the application user named like the Docker healthcheck user",
      { profile: "docker", valkey: { appUser: "healthcheck" } },
      `${NS}:valkey.appUser: "healthcheck" is the name of the Docker healthcheck user; choose another`,
    ],
    [
      "the admin user named like the replication user of Kubernetes replicas",
      {
        profile: "kubernetes",
        kubernetes: { runsInCluster: true, valkey: { replicas: 1 } },
        valkey: { adminUser: "replication" },
      },
      `${NS}:valkey.adminUser: "replication" is the name of the user the Kubernetes replicas replicate with; choose another`,
    ],
    [
      "an operator-managed application user in per-service ACL mode",
      {
        profile: "external",
        external: {
          ...external(),
          valkey: { host: "cache.internal", adminPassword: "pw-0123456789", appPassword: "pw-app" },
        },
        valkey: { aclMode: "per-service" },
      },
      `${NS}:external.valkey.appPassword: an operator-managed application user works with valkey.aclMode "shared" only; remove it to let this program generate per-service users, or set valkey.aclMode "shared"`,
    ],
    [
      "a chart image without a tag",
      { profile: "kubernetes", kubernetes: { runsInCluster: true, valkey: { image: `valkey/valkey${DIGEST}` } } },
      `${NS}:kubernetes.valkey.image: "valkey/valkey${DIGEST}" needs a tag (repository:tag or repository:tag@sha256:<digest>)`,
    ],
    [
      "minReplicasToWrite without replicas",
      { profile: "kubernetes", kubernetes: { runsInCluster: true, valkey: { minReplicasToWrite: 1 } } },
      `${NS}:kubernetes.valkey.minReplicasToWrite: needs kubernetes.valkey.replicas >= 1`,
    ],
    [
      "minReplicasToWrite above the replicas",
      {
        profile: "kubernetes",
        kubernetes: { runsInCluster: true, valkey: { replicas: 1, minReplicasToWrite: 2 } },
      },
      `${NS}:kubernetes.valkey.minReplicasToWrite: 2 exceeds kubernetes.valkey.replicas (1): the primary would refuse every write; allowed: 0-1`,
    ],
    [
      "Multi-AZ without automatic failover",
      {
        profile: "aws",
        aws: { ...awsNetwork, valkey: { automaticFailover: false } },
        objectStore: { bucketPrefix: "acme-" },
      },
      `${NS}:aws.valkey.multiAz: needs aws.valkey.automaticFailover true (ElastiCache rejects Multi-AZ without it)`,
    ],
    [
      "automatic failover on a single ElastiCache node",
      { profile: "aws", aws: { ...awsNetwork, valkey: { nodes: 1 } }, objectStore: { bucketPrefix: "acme-" } },
      `${NS}:aws.valkey.automaticFailover: needs at least 2 nodes (aws.valkey.nodes is 1)`,
    ],
    [
      "an ElastiCache engine version it does not offer",
      {
        profile: "aws",
        aws: { ...awsNetwork, valkey: { engineVersion: "9.9" } },
        objectStore: { bucketPrefix: "acme-" },
      },
      `${NS}:aws.valkey.engineVersion: "9.9" is not an ElastiCache Valkey version this program supports; allowed: 7.2, 8.0, 8.1`,
    ],
    [
      "an external Valkey host a connection string cannot carry",
      {
        profile: "external",
        external: { ...external(), valkey: { host: "cache.internal,ssl=false", adminPassword: "pw-0123456789" } },
      },
      `${NS}:external.valkey.host: Valkey host must not contain ',', '=' or whitespace`,
    ],
    [
      "a JetStream file store larger than its volume",
      {
        profile: "kubernetes",
        nats: { enabled: true },
        kubernetes: { runsInCluster: true, nats: { storageSize: "1Gi" } },
      },
      `${NS}:nats.jetstream.maxFileStore: must fit on the JetStream volume (kubernetes.nats.storageSize 1Gi)`,
    ],
  ];
  it.each(cases)("%s", (_name, values, expected) => {
    const problems = problemsOf(values);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });
});

describe("component problems are reported together", () => {
  it("lists layout, backend and other rule problems in one error whose message carries no stack trace", () => {
    const error = configError({
      profile: "external",
      external: external(),
      postgres: {
        readGrants: [{ service: "graph", schema: "nosuch" }],
        extensions: [{ name: "x", database: "other" }],
      },
      objectStore: { objectLock: { enabled: true, years: 1 } },
      nats: { userMode: "per-service" },
    });
    const keys = error.problems.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        `${NS}:nats.userMode`,
        `${NS}:postgres.readGrants[0].service`,
        `${NS}:postgres.extensions[0].database`,
        `${NS}:objectStore.objectLock.enabled`,
      ]),
    );
    expect(keys).toHaveLength(4);
    expect(error.message).toMatch(/^Invalid configuration for stack "test" \(4 problems\):/);
    expect(error.message).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
    expect(error.message).not.toMatch(/SettingsError/);
  });

  it("reports the AWS profile's S3, Valkey and PostgreSQL problems together", () => {
    const error = configError({
      profile: "aws",
      aws: { ...awsNetwork, valkey: { nodes: 1, engineVersion: "6.2" } },
      postgres: { serviceDatabases: { graph: "graph" } },
      valkey: { extraKeyPatterns: { notify: ["x.*"] } },
    });
    expect(error.problems.map((p) => p.key)).toEqual([
      `${NS}:postgres.serviceDatabases.graph`,
      `${NS}:objectStore.bucketPrefix`,
      `${NS}:valkey.extraKeyPatterns`,
      `${NS}:aws.valkey.automaticFailover`,
      `${NS}:aws.valkey.engineVersion`,
    ]);
    expect(error.message).toMatch(/^Invalid configuration for stack "test" \(5 problems\):/);
    expect(error.message).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });
});

describe("every Valkey mistake in a config is reported, not just the first", () => {
  it("docker: extras in shared mode under two keys and an admin user named like the healthcheck user", () => {
    expect(
      problemsOf({
        profile: "docker",
        valkey: {
          adminUser: "healthcheck",
          extraKeyPatterns: { notify: ["scanner.event.*"] },
          extraChannelPatterns: { scanner: ["scanner.*"] },
        },
      }),
    ).toEqual([
      `${NS}:valkey.extraKeyPatterns: applies only with valkey.aclMode "per-service" (the shared user has every key)`,
      `${NS}:valkey.extraChannelPatterns: applies only with valkey.aclMode "per-service" (the shared user has every key)`,
      `${NS}:valkey.adminUser: "healthcheck" is the name of the Docker healthcheck user; choose another`,
    ]);
  });

  it("kubernetes: extras for a service not enabled, a name clash, the chart's image and write quorum", () => {
    const error = configError({
      profile: "kubernetes",
      kubernetes: {
        runsInCluster: true,
        valkey: { image: `valkey/valkey${DIGEST}`, replicas: 1, minReplicasToWrite: 3 },
      },
      valkey: { aclMode: "per-service", appUser: "so", adminUser: "so-notify", extraReadKeyPatterns: { graph: ["x"] } },
    });
    expect(error.problems.map((p) => p.key)).toEqual([
      `${NS}:valkey.extraReadKeyPatterns`,
      `${NS}:valkey.appUser`,
      `${NS}:kubernetes.valkey.image`,
      `${NS}:kubernetes.valkey.minReplicasToWrite`,
    ]);
    expect(error.message).toMatch(/^Invalid configuration for stack "test" \(4 problems\):/);
    expect(error.message).toContain(
      `${NS}:valkey.appUser: two Valkey ACL users are named "so-notify": notify's per-service user (valkey.appUser "so" + "-notify") and valkey.adminUser must differ`,
    );
    expect(error.message).not.toMatch(/SettingsError|\bat .*\(.*:\d+:\d+\)/);
  });

  it("aws: replication, Multi-AZ and the engine version together", () => {
    expect(
      problemsOf({
        profile: "aws",
        aws: { ...awsNetwork, valkey: { nodes: 1, automaticFailover: false, engineVersion: "6.2" } },
        objectStore: { bucketPrefix: "acme-" },
      }),
    ).toEqual([
      `${NS}:aws.valkey.multiAz: needs aws.valkey.automaticFailover true (ElastiCache rejects Multi-AZ without it)`,
      `${NS}:aws.valkey.engineVersion: "6.2" is not an ElastiCache Valkey version this program supports; allowed: 7.2, 8.0, 8.1`,
    ]);
  });

  it("external: an operator-managed user in per-service mode and a host a connection string cannot carry", () => {
    const error = configError({
      profile: "external",
      external: {
        ...external(),
        valkey: { host: "cache internal", adminPassword: "pw-0123456789", appPassword: "pw-app" },
      },
      valkey: { aclMode: "per-service" },
    });
    expect(error.problems.map((p) => p.key)).toEqual([
      `${NS}:external.valkey.appPassword`,
      `${NS}:external.valkey.host`,
    ]);
  });

  it("accepts an operator-managed user in shared mode, and the replication name without replicas", () => {
    expect(() =>
      parseStackConfig(
        raw({
          profile: "external",
          external: { ...external(), valkey: { host: "cache.internal", adminPassword: "pw-0", appPassword: "pw-app" } },
        }),
        "test",
        () => true,
      ),
    ).not.toThrow();
    expect(() =>
      parseStackConfig(
        raw({ profile: "kubernetes", kubernetes: { runsInCluster: true }, valkey: { appUser: "replication" } }),
        "test",
      ),
    ).not.toThrow();
  });
});

describe("a block's own rules run only on values its schema accepted", () => {
  it("reports a malformed image or engine version once, not again as a chart or ElastiCache problem", () => {
    expect(
      problemsOf({ profile: "kubernetes", kubernetes: { runsInCluster: true, valkey: { image: "Not An Image" } } }),
    ).toEqual([
      `${NS}:kubernetes.valkey.image: must be an image reference: [registry/]repository[:tag][@sha256:<64 hex digits>], lowercase`,
    ]);
    expect(
      problemsOf({ profile: "aws", aws: { ...awsNetwork, valkey: { engineVersion: "eight", nodes: 1 } } }),
    ).toEqual([`${NS}:aws.valkey.engineVersion: must be an ElastiCache engine version such as "8.1" (major.minor)`]);
  });
});
