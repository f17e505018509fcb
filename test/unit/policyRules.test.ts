import { describe, expect, it } from "vitest";
import {
  DEFAULT_CONTEXT,
  type AuditResource,
  type ResourceRule,
  type StackContext,
  type StackRule,
} from "../../policy/model";
import { T } from "../../policy/resourceTypes";
import { RULES } from "../../policy/rules";
import {
  elastiCacheEncryptedAtRest,
  elastiCacheEncryptedInTransit,
  rdsForceSsl,
  rdsStorageEncrypted,
  s3DefaultEncryption,
  s3TlsOnly,
} from "../../policy/rules/encryption";
import { evidenceObjectLock } from "../../policy/rules/evidence";
import { dockerDataPortsNotPublic, rdsNotPublic, s3PublicAccessBlocked } from "../../policy/rules/exposure";
import { imagesPinnedByDigest, sealedImagesFromMirror } from "../../policy/rules/images";
import { productionDeletionProtection, productionStatefulProtect } from "../../policy/rules/production";
import { valkeyNoEviction } from "../../policy/rules/valkey";
import { REDACTED, UNKNOWN } from "../../policy/values";

/**
 * Every rule called directly with synthetic resources: what complies passes, what an auditor would reject fails
 * with a message that names the problem and the fix.
 */

let counter = 0;
function res(type: string, props: Record<string, unknown> = {}, extra: Partial<AuditResource> = {}): AuditResource {
  const name = extra.name ?? `r${++counter}`;
  return {
    urn: `urn:pulumi:test::stellaops-infra::${type}::${name}`,
    type,
    name,
    props,
    protect: false,
    dependencies: [],
    ...extra,
  };
}

const ctx = (over: Partial<StackContext> = {}): StackContext => ({ ...DEFAULT_CONTEXT, ...over });
const DIGEST = `sha256:${"ab".repeat(32)}`;

function check(rule: ResourceRule, r: AuditResource, c: StackContext = ctx()): string[] {
  expect(rule.types, `${rule.name} applies to ${r.type}`).toContain(r.type);
  return rule.check(r, c);
}

function checkStack(rule: StackRule, resources: AuditResource[], c: StackContext = ctx()) {
  return rule.check(resources, c);
}

describe("every rule", () => {
  it("has a unique kebab-case name, a description, a remediation and a level on every kind of stack", () => {
    const names = RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of RULES) {
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.remediation.length).toBeGreaterThan(20);
      for (const c of [ctx(), ctx({ sealed: true, production: true, immutableEvidence: true })]) {
        expect(["advisory", "mandatory", "disabled"]).toContain(rule.level(c));
      }
    }
  });
});

describe("rds-storage-encrypted", () => {
  it("passes an encrypted instance or cluster, and a value hidden behind a secret", () => {
    expect(check(rdsStorageEncrypted, res(T.rdsInstance, { storageEncrypted: true }))).toEqual([]);
    expect(check(rdsStorageEncrypted, res(T.rdsCluster, { storageEncrypted: true }))).toEqual([]);
    expect(check(rdsStorageEncrypted, res(T.rdsInstance, { storageEncrypted: UNKNOWN }))).toEqual([]);
  });
  it("fails an instance that leaves encryption off or unset, saying how to fix it", () => {
    const [message] = check(rdsStorageEncrypted, res(T.rdsInstance, { storageEncrypted: false }));
    expect(message).toMatch(/storageEncrypted is false.*Fix: set storageEncrypted: true/);
    expect(check(rdsStorageEncrypted, res(T.rdsInstance, {}))).toHaveLength(1);
    expect(rdsStorageEncrypted.level(ctx())).toBe("mandatory");
  });
});

describe("elasticache-encrypted-at-rest and -in-transit", () => {
  const group = (props: Record<string, unknown>) => res(T.elastiCacheReplicationGroup, { engine: "valkey", ...props });
  it("pass a replication group encrypted at rest and TLS-only", () => {
    const ok = group({
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
    });
    expect(check(elastiCacheEncryptedAtRest, ok)).toEqual([]);
    expect(check(elastiCacheEncryptedInTransit, ok)).toEqual([]);
  });
  it("fail a group without encryption at rest", () => {
    expect(check(elastiCacheEncryptedAtRest, group({ atRestEncryptionEnabled: false }))[0]).toMatch(
      /atRestEncryptionEnabled is false.*Fix:/,
    );
    expect(check(elastiCacheEncryptedAtRest, group({}))).toHaveLength(1);
  });
  it("fail a group without TLS, and one that still accepts plaintext (mode preferred)", () => {
    expect(check(elastiCacheEncryptedInTransit, group({ transitEncryptionEnabled: false }))[0]).toMatch(
      /plaintext.*Fix: set transitEncryptionEnabled: true/,
    );
    expect(
      check(
        elastiCacheEncryptedInTransit,
        group({ transitEncryptionEnabled: true, transitEncryptionMode: "preferred" }),
      )[0],
    ).toMatch(/"preferred".*Fix: set transitEncryptionMode: "required"/);
  });
});

/** A bucket with every configuration an auditor expects, built the way aws v7 splits them. */
function compliantBucket(name: string, extra: Partial<AuditResource> = {}) {
  const bucket = res(T.s3Bucket, { bucket: `acme-${name}` }, { name, ...extra });
  const on = { dependencies: [bucket.urn] };
  return {
    bucket,
    encryption: res(
      T.s3Encryption,
      { bucket: `${name}-id`, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
      on,
    ),
    block: res(
      T.s3PublicAccessBlock,
      {
        bucket: `acme-${name}`,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      on,
    ),
    policy: res(
      T.s3BucketPolicy,
      {
        bucket: `acme-${name}`,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [`arn:aws:s3:::acme-${name}`, `arn:aws:s3:::acme-${name}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
      on,
    ),
  };
}

describe("s3-default-encryption", () => {
  it("passes buckets with a separate configuration (matched by dependency) or the inline form", () => {
    const a = compliantBucket("a");
    const inline = res(T.s3Bucket, {
      bucket: "inline",
      serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } },
    });
    expect(checkStack(s3DefaultEncryption, [a.bucket, a.encryption, inline])).toEqual([]);
  });
  it("fails the bucket that has no configuration, and one using an algorithm S3 does not offer", () => {
    const a = compliantBucket("a");
    const bare = res(T.s3Bucket, { bucket: "bare" }, { name: "bare" });
    const odd = res(T.s3Bucket, { bucket: "odd" }, { name: "odd" });
    const oddConfig = res(T.s3Encryption, {
      bucket: "odd",
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "rot13" } }],
    });
    const found = checkStack(s3DefaultEncryption, [a.bucket, a.encryption, bare, odd, oddConfig]);
    expect(found.map((v) => v.urn).sort()).toEqual([bare.urn, odd.urn].sort());
    expect(found[0].message).toMatch(
      /no default-encryption configuration.*Fix: add an aws.s3.BucketServerSideEncryptionConfiguration/,
    );
  });
  it("does not count another bucket's configuration", () => {
    const a = compliantBucket("a");
    const b = res(T.s3Bucket, { bucket: "acme-b" }, { name: "b" });
    expect(checkStack(s3DefaultEncryption, [a.bucket, a.encryption, b]).map((v) => v.urn)).toEqual([b.urn]);
  });
  it("leaves buckets on an S3-compatible endpoint (RustFS) to that backend", () => {
    const rustfs = res(
      T.s3Bucket,
      { bucket: "local" },
      {
        provider: { type: T.awsProvider, props: { endpoints: JSON.stringify([{ s3: "http://127.0.0.1:8080" }]) } },
      },
    );
    expect(checkStack(s3DefaultEncryption, [rustfs])).toEqual([]);
    const aws = res(
      T.s3Bucket,
      { bucket: "aws" },
      { provider: { type: T.awsProvider, props: { region: "eu-west-1" } } },
    );
    expect(checkStack(s3DefaultEncryption, [aws])).toHaveLength(1);
  });
});

describe("s3-tls-only", () => {
  it("passes a bucket whose policy denies aws:SecureTransport false", () => {
    const a = compliantBucket("a");
    expect(checkStack(s3TlsOnly, [a.bucket, a.policy])).toEqual([]);
  });
  it("accepts the policy as an object and with the AWS: * principal form", () => {
    const bucket = res(T.s3Bucket, { bucket: "x" });
    const policy = res(T.s3BucketPolicy, {
      bucket: "x",
      policy: {
        Statement: {
          Effect: "Deny",
          Principal: { AWS: ["*"] },
          Action: ["s3:*"],
          Resource: "arn:aws:s3:::x/*",
          Condition: { Bool: { "aws:SecureTransport": false } },
        },
      },
    });
    expect(checkStack(s3TlsOnly, [bucket, policy])).toEqual([]);
  });
  it("fails a bucket without a policy, and one whose deny does not cover every action or the objects", () => {
    const none = res(T.s3Bucket, { bucket: "none" });
    const narrow = res(T.s3Bucket, { bucket: "narrow" });
    const narrowPolicy = res(T.s3BucketPolicy, {
      bucket: "narrow",
      policy: JSON.stringify({
        Statement: [
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::narrow/*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
    const bucketOnly = res(T.s3Bucket, { bucket: "bucketonly" });
    const bucketOnlyPolicy = res(T.s3BucketPolicy, {
      bucket: "bucketonly",
      policy: JSON.stringify({
        Statement: [
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "arn:aws:s3:::bucketonly",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
    const found = checkStack(s3TlsOnly, [none, narrow, narrowPolicy, bucketOnly, bucketOnlyPolicy]);
    expect(found.map((v) => v.urn).sort()).toEqual([none.urn, narrow.urn, bucketOnly.urn].sort());
    expect(found[0].message).toMatch(/plain-HTTP.*Fix: add a statement/);
  });
  it("does not guess about a policy that is not known yet", () => {
    const bucket = res(T.s3Bucket, { bucket: "x" });
    const policy = res(T.s3BucketPolicy, { bucket: "x", policy: UNKNOWN });
    expect(checkStack(s3TlsOnly, [bucket, policy])).toEqual([]);
  });
});

describe("rds-force-ssl", () => {
  const instance = (props: Record<string, unknown>, deps: string[] = []) =>
    res(T.rdsInstance, { engine: "postgres", ...props }, { dependencies: deps });
  const group = (family: string, parameters: { name: string; value: string }[]) =>
    res(T.rdsParameterGroup, { name: `pg-${family}`, family, parameters });

  it("passes rds.force_ssl 1 in the instance's own group, and PostgreSQL 15+ defaults", () => {
    const g = group("postgres14", [{ name: "rds.force_ssl", value: "1" }]);
    expect(
      checkStack(rdsForceSsl, [g, instance({ engineVersion: "14.12", parameterGroupName: "pg-postgres14" })]),
    ).toEqual([]);
    expect(checkStack(rdsForceSsl, [instance({ engineVersion: "18" })])).toEqual([]);
    const g18 = group("postgres18", []);
    expect(checkStack(rdsForceSsl, [g18, instance({ engineVersion: "18" }, [g18.urn])])).toEqual([]);
  });
  it("fails a group that turns it off, even on PostgreSQL 18", () => {
    const g = group("postgres18", [{ name: "rds.force_ssl", value: "0" }]);
    const found = checkStack(rdsForceSsl, [
      g,
      instance({ engineVersion: "18.1", parameterGroupName: "pg-postgres18" }),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/sets rds.force_ssl to 0.*Fix: set \{ name: "rds.force_ssl", value: "1" \}/);
  });
  it("fails PostgreSQL 14 without the setting, and an unverifiable group from outside the stack", () => {
    expect(checkStack(rdsForceSsl, [instance({ engineVersion: "14.12" })])).toHaveLength(1);
    expect(
      checkStack(rdsForceSsl, [instance({ engineVersion: "14.12", parameterGroupName: "shared-by-dba" })])[0].message,
    ).toMatch(/not part of this stack/);
  });
  it("ignores engines other than PostgreSQL", () => {
    expect(checkStack(rdsForceSsl, [res(T.rdsInstance, { engine: "mysql", engineVersion: "8.0" })])).toEqual([]);
  });
});

describe("rds-not-public", () => {
  it("passes a private instance and fails a public one", () => {
    expect(check(rdsNotPublic, res(T.rdsInstance, { publiclyAccessible: false }))).toEqual([]);
    expect(check(rdsNotPublic, res(T.rdsInstance, {}))).toEqual([]);
    expect(check(rdsNotPublic, res(T.rdsInstance, { publiclyAccessible: true }))[0]).toMatch(
      /public IP address.*Fix: set publiclyAccessible: false/,
    );
    expect(check(rdsNotPublic, res(T.rdsClusterInstance, { publiclyAccessible: true }))).toHaveLength(1);
  });
});

describe("s3-public-access-blocked", () => {
  it("passes a bucket with all four blocks", () => {
    const a = compliantBucket("a");
    expect(checkStack(s3PublicAccessBlocked, [a.bucket, a.block])).toEqual([]);
  });
  it("fails a bucket without a block, naming the flag a partial block leaves off, and a public ACL", () => {
    const none = res(T.s3Bucket, { bucket: "none" });
    const partial = res(T.s3Bucket, { bucket: "partial" });
    const partialBlock = res(T.s3PublicAccessBlock, {
      bucket: "partial",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: false,
    });
    const a = compliantBucket("acl");
    a.bucket.props["acl"] = "public-read";
    const found = checkStack(s3PublicAccessBlocked, [none, partial, partialBlock, a.bucket, a.block]);
    expect(found.map((v) => v.urn).sort()).toEqual([none.urn, partial.urn, a.bucket.urn].sort());
    expect(found.find((v) => v.urn === partial.urn)?.message).toMatch(/leaves restrictPublicBuckets off/);
    expect(found.find((v) => v.urn === a.bucket.urn)?.message).toMatch(/public ACL "public-read"/);
  });
});

describe("docker-data-ports-not-public", () => {
  const container = (ports: unknown[], extra: Record<string, unknown> = {}) =>
    res(T.dockerContainer, { image: DIGEST, ports, ...extra });
  it("passes data ports bound to loopback or a private address, and non-data ports anywhere", () => {
    expect(check(dockerDataPortsNotPublic, container([{ internal: 5432, external: 5432, ip: "127.0.0.1" }]))).toEqual(
      [],
    );
    expect(check(dockerDataPortsNotPublic, container([{ internal: 6379, external: 6379, ip: "10.0.4.12" }]))).toEqual(
      [],
    );
    expect(check(dockerDataPortsNotPublic, container([{ internal: 3000, external: 3000, ip: "0.0.0.0" }]))).toEqual([]);
  });
  it("fails data ports on 0.0.0.0, ::, or an empty ip (Docker's every-interface default)", () => {
    for (const [internal, ip] of [
      [5432, "0.0.0.0"],
      [6379, ""],
      [8080, "::"],
      [4222, undefined],
    ] as const) {
      const port = ip === undefined ? { internal, external: internal } : { internal, external: internal, ip };
      const found = check(dockerDataPortsNotPublic, container([port]), ctx());
      expect(found, `${internal} on ${String(ip)}`).toHaveLength(1);
      expect(found[0]).toMatch(new RegExp(`data port ${internal}.*Fix: set docker.bindAddress`));
    }
  });
  it("judges the published host port too (RustFS on 9000 inside, 8080 outside)", () => {
    expect(
      check(dockerDataPortsNotPublic, container([{ internal: 9999, external: 8080, ip: "0.0.0.0" }])),
    ).toHaveLength(1);
  });
  it("fails host networking", () => {
    expect(check(dockerDataPortsNotPublic, container([], { networkMode: "host" }))[0]).toMatch(/networkMode "host"/);
  });
  it("uses the data ports from the context", () => {
    const custom = ctx({ dataPorts: [15432] });
    expect(check(dockerDataPortsNotPublic, container([{ internal: 15432, ip: "0.0.0.0" }]), custom)).toHaveLength(1);
    expect(check(dockerDataPortsNotPublic, container([{ internal: 5432, ip: "0.0.0.0" }]), custom)).toEqual([]);
  });
});

describe("images-pinned-by-digest", () => {
  it("is advisory on connected stacks and mandatory on sealed ones", () => {
    expect(imagesPinnedByDigest.level(ctx())).toBe("advisory");
    expect(imagesPinnedByDigest.level(ctx({ sealed: true }))).toBe("mandatory");
  });
  it("passes digests and local image ids", () => {
    expect(check(imagesPinnedByDigest, res(T.dockerRemoteImage, { name: `postgres:18.1@${DIGEST}` }))).toEqual([]);
    expect(check(imagesPinnedByDigest, res(T.dockerContainer, { image: DIGEST }))).toEqual([]);
    expect(
      check(
        imagesPinnedByDigest,
        res(T.cnpgCluster, { spec: { imageName: `ghcr.io/cloudnative-pg/postgresql@${DIGEST}` } }),
      ),
    ).toEqual([]);
  });
  it("fails tags wherever a platform names an image: RemoteImage, container, CNPG cluster, chart values, pod specs", () => {
    expect(check(imagesPinnedByDigest, res(T.dockerRemoteImage, { name: "postgres:18.1" }))[0]).toMatch(
      /name is "postgres:18.1", a tag that can move.*Fix: pin it by digest.*postgres:18.1@sha256:<digest>/,
    );
    expect(check(imagesPinnedByDigest, res(T.dockerContainer, { image: "valkey/valkey:9.0.1" }))).toHaveLength(1);
    expect(
      check(
        imagesPinnedByDigest,
        res(T.cnpgCluster, { spec: { imageName: "ghcr.io/cloudnative-pg/postgresql:18.1" } }),
      )[0],
    ).toMatch(/spec.imageName/);
    const release = res(T.helmRelease, {
      values: {
        image: { registry: "docker.io", repository: "valkey/valkey", tag: "9.0.1" },
        sidecar: { image: `registry.local/exporter@${DIGEST}` },
        container: { image: { repository: "nats", tag: "2.12.1", digest: DIGEST } },
      },
    });
    const found = check(imagesPinnedByDigest, release);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/values.image is "docker.io\/valkey\/valkey:9.0.1"/);
    const job = res("kubernetes:batch/v1:Job", {
      spec: { template: { spec: { containers: [{ name: "layout", image: "postgres:18.1" }] } } },
    });
    expect(check(imagesPinnedByDigest, job)[0]).toMatch(/spec.template.spec.containers\[0\].image/);
  });
});

describe("sealed-sources-from-mirror", () => {
  const sealed = ctx({ sealed: true, mirrorRegistry: "registry.local:5000/stellaops" });
  const mirrored = `registry.local:5000/stellaops/postgres@${DIGEST}`;
  it("is off on connected stacks", () => {
    expect(sealedImagesFromMirror.level(ctx())).toBe("disabled");
    expect(check(sealedImagesFromMirror, res(T.dockerRemoteImage, { name: "postgres:18.1" }))).toEqual([]);
  });
  it("passes mirror images kept locally and charts from the mirror or a vendored file", () => {
    expect(
      check(sealedImagesFromMirror, res(T.dockerRemoteImage, { name: mirrored, keepLocally: true }), sealed),
    ).toEqual([]);
    expect(check(sealedImagesFromMirror, res(T.dockerContainer, { image: DIGEST }), sealed)).toEqual([]);
    expect(
      check(sealedImagesFromMirror, res(T.helmRelease, { chart: "oci://registry.local:5000/charts/valkey" }), sealed),
    ).toEqual([]);
    expect(check(sealedImagesFromMirror, res(T.helmRelease, { chart: "./charts/valkey-0.9.3.tgz" }), sealed)).toEqual(
      [],
    );
  });
  it("fails public registries, images a destroy would delete, and charts from the internet", () => {
    expect(
      check(
        sealedImagesFromMirror,
        res(T.dockerRemoteImage, { name: `docker.io/library/postgres@${DIGEST}`, keepLocally: true }),
        sealed,
      )[0],
    ).toMatch(/outside the mirror registry.local:5000\/stellaops.*Fix: load the image into the mirror/);
    expect(check(sealedImagesFromMirror, res(T.dockerRemoteImage, { name: mirrored }), sealed)[0]).toMatch(
      /keepLocally is not set/,
    );
    expect(
      check(
        sealedImagesFromMirror,
        res(T.helmRelease, { chart: "valkey", repositoryOpts: { repo: "https://valkey.io/valkey-helm/" } }),
        sealed,
      )[0],
    ).toMatch(/fetched from outside the mirror registry.local:5000/);
  });
  it("fails every image when a sealed stack names no mirror", () => {
    expect(
      check(sealedImagesFromMirror, res(T.dockerRemoteImage, { name: mirrored }), ctx({ sealed: true }))[0],
    ).toMatch(/names no mirror registry/);
  });
});

describe("valkey-noeviction", () => {
  it("passes an ElastiCache group with noeviction and a replication group using it", () => {
    const pg = res(T.elastiCacheParameterGroup, {
      family: "valkey8",
      parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
    });
    expect(check(valkeyNoEviction, pg)).toEqual([]);
    expect(
      check(
        valkeyNoEviction,
        res(T.elastiCacheReplicationGroup, { engine: "valkey", parameterGroupName: "stellaops-valkey-valkey8" }),
      ),
    ).toEqual([]);
  });
  it("fails a group that evicts or leaves ElastiCache's evicting default, and a cache on a default group", () => {
    expect(
      check(
        valkeyNoEviction,
        res(T.elastiCacheParameterGroup, {
          family: "valkey8",
          parameters: [{ name: "maxmemory-policy", value: "allkeys-lru" }],
        }),
      )[0],
    ).toMatch(/maxmemory-policy allkeys-lru.*Fix: set valkey.maxmemoryPolicy to noeviction/);
    expect(check(valkeyNoEviction, res(T.elastiCacheParameterGroup, { family: "valkey8", parameters: [] }))[0]).toMatch(
      /volatile-lru/,
    );
    expect(check(valkeyNoEviction, res(T.elastiCacheReplicationGroup, { engine: "valkey" }))).toHaveLength(1);
    expect(
      check(
        valkeyNoEviction,
        res(T.elastiCacheReplicationGroup, { engine: "valkey", parameterGroupName: "default.valkey8" }),
      ),
    ).toHaveLength(1);
  });
  it("ignores parameter groups of other engines (memcached)", () => {
    expect(
      check(valkeyNoEviction, res(T.elastiCacheParameterGroup, { family: "memcached1.6", parameters: [] })),
    ).toEqual([]);
  });
  it("reads valkey.conf uploaded into a Docker container, and the command line", () => {
    const conf = (policy: string) => `port 6379\nmaxmemory 1gb\nmaxmemory-policy ${policy}\n`;
    const container = (content: string, command: string[] = []) =>
      res(T.dockerContainer, { image: DIGEST, uploads: [{ file: "/etc/valkey/valkey.conf", content }], command });
    expect(check(valkeyNoEviction, container(conf("noeviction")))).toEqual([]);
    // Valkey's own default is noeviction; the ACL file's hash-only content is not a config.
    expect(check(valkeyNoEviction, container("port 6379\n"))).toEqual([]);
    expect(check(valkeyNoEviction, container(REDACTED))).toEqual([]);
    expect(check(valkeyNoEviction, container(conf("allkeys-lru")))[0]).toMatch(
      /uploaded file \/etc\/valkey\/valkey.conf/,
    );
    expect(
      check(
        valkeyNoEviction,
        container(conf("noeviction"), [
          "valkey-server",
          "/etc/valkey/valkey.conf",
          "--maxmemory-policy",
          "volatile-ttl",
        ]),
      ),
    ).toHaveLength(1);
  });
  it("reads the valkey.conf fragment in chart values", () => {
    const release = (policy: string) =>
      res(T.helmRelease, { values: { valkeyConfig: `appendonly yes\nmaxmemory-policy ${policy}\n` } });
    expect(check(valkeyNoEviction, release("noeviction"))).toEqual([]);
    expect(check(valkeyNoEviction, release("allkeys-lfu"))[0]).toMatch(/values of release/);
  });
});

describe("production-deletion-protection", () => {
  const prod = ctx({ production: true });
  it("is off outside production", () => {
    expect(productionDeletionProtection.level(ctx())).toBe("disabled");
    expect(check(productionDeletionProtection, res(T.rdsInstance, { deletionProtection: false }))).toEqual([]);
  });
  it("passes protected databases, caches with a final snapshot and ordinary buckets", () => {
    expect(
      check(
        productionDeletionProtection,
        res(T.rdsInstance, { deletionProtection: true, skipFinalSnapshot: false }),
        prod,
      ),
    ).toEqual([]);
    expect(
      check(
        productionDeletionProtection,
        res(T.elastiCacheReplicationGroup, { finalSnapshotIdentifier: "x-final" }),
        prod,
      ),
    ).toEqual([]);
    expect(check(productionDeletionProtection, res(T.s3Bucket, { bucket: "b" }), prod)).toEqual([]);
  });
  it("fails a deletable database, one without a final snapshot, a cache without one, a force-destroy bucket", () => {
    expect(check(productionDeletionProtection, res(T.rdsInstance, {}), prod)[0]).toMatch(
      /deletionProtection is not set on a production database.*Fix: set aws.postgres.deletionProtection: true/,
    );
    expect(
      check(
        productionDeletionProtection,
        res(T.rdsInstance, { deletionProtection: true, skipFinalSnapshot: true }),
        prod,
      ),
    ).toHaveLength(1);
    expect(check(productionDeletionProtection, res(T.elastiCacheReplicationGroup, {}), prod)).toHaveLength(1);
    expect(check(productionDeletionProtection, res(T.s3Bucket, { forceDestroy: true }), prod)[0]).toMatch(
      /forceDestroy/,
    );
  });
});

describe("production-stateful-protect", () => {
  const prod = ctx({ production: true });
  it("passes protected data-bearing resources and fails unprotected ones on production", () => {
    for (const type of [
      T.dockerVolume,
      T.rdsInstance,
      T.elastiCacheReplicationGroup,
      T.s3Bucket,
      T.cnpgCluster,
      T.pvc,
    ]) {
      expect(check(productionStatefulProtect, res(type, {}, { protect: true }), prod)).toEqual([]);
      expect(check(productionStatefulProtect, res(type, {}, { protect: false }), prod)[0]).toMatch(
        /is not protected.*Fix: set stellaops-infra:protect: true/,
      );
    }
  });
  it("leaves non-production stacks alone (dev turns protection off on purpose)", () => {
    expect(check(productionStatefulProtect, res(T.dockerVolume, {}), ctx())).toEqual([]);
  });
});

describe("evidence-object-lock", () => {
  const wanted = ctx({ immutableEvidence: true, evidenceBucket: "acme-evidence-locker" });
  const evidence = (props: Record<string, unknown> = {}) =>
    res(
      T.s3Bucket,
      { bucket: "acme-evidence-locker", objectLockEnabled: true, ...props },
      { name: "buckets-evidence" },
    );
  const lock = (bucket: AuditResource, rule: unknown) =>
    res(
      T.s3ObjectLock,
      { bucket: "acme-evidence-locker", objectLockEnabled: "Enabled", rule },
      { dependencies: [bucket.urn] },
    );

  it("is off unless the stack asks for immutable evidence", () => {
    expect(evidenceObjectLock.level(ctx())).toBe("disabled");
    expect(checkStack(evidenceObjectLock, [res(T.s3Bucket, { bucket: "acme-evidence-locker" })], ctx())).toEqual([]);
  });
  it("passes a locked evidence bucket with a default retention", () => {
    const b = evidence();
    expect(
      checkStack(evidenceObjectLock, [b, lock(b, { defaultRetention: { mode: "COMPLIANCE", days: 365 } })], wanted),
    ).toEqual([]);
    const inline = evidence({
      objectLockEnabled: undefined,
      objectLockConfiguration: {
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: "GOVERNANCE", years: 1 } },
      },
    });
    expect(checkStack(evidenceObjectLock, [inline], wanted)).toEqual([]);
  });
  it("fails a bucket created without Object Lock, saying an existing bucket must be replaced", () => {
    const found = checkStack(evidenceObjectLock, [evidence({ objectLockEnabled: false })], wanted);
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/without Object Lock.*Fix: set objectLockEnabled: true.*must be replaced/);
  });
  it("fails Object Lock without a default retention (no mode, or no period)", () => {
    const b = evidence();
    expect(checkStack(evidenceObjectLock, [b], wanted)[0].message).toMatch(/no default retention/);
    expect(checkStack(evidenceObjectLock, [b, lock(b, { defaultRetention: { days: 30 } })], wanted)).toHaveLength(1);
    expect(
      checkStack(evidenceObjectLock, [b, lock(b, { defaultRetention: { mode: "COMPLIANCE" } })], wanted),
    ).toHaveLength(1);
  });
  it("fails a stack that asks for immutable evidence but has no evidence bucket", () => {
    const found = checkStack(evidenceObjectLock, [res(T.s3Bucket, { bucket: "acme-replay" })], wanted);
    expect(found).toHaveLength(1);
    expect(found[0].urn).toBeUndefined();
    expect(found[0].message).toMatch(/no evidence bucket named acme-evidence-locker/);
  });
  it("judges only the evidence bucket, not the others", () => {
    const b = evidence();
    const replay = res(T.s3Bucket, { bucket: "acme-replay" });
    expect(
      checkStack(
        evidenceObjectLock,
        [b, replay, lock(b, { defaultRetention: { mode: "GOVERNANCE", days: 7 } })],
        wanted,
      ),
    ).toEqual([]);
  });
});
