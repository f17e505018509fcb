import { describe, expect, it } from "vitest";
import { activeServices, BUCKET_ROLES } from "../../components/catalog";
import { backendProblems, CAPABILITIES, OBJECT_STORE_BACKENDS } from "../../components/objectStore/capabilities";
import {
  buildObjectStoreLayout,
  resolveAwsEncryption,
  type BucketPlan,
  type LayoutInput,
} from "../../components/objectStore/model";
import {
  OBJECT_LOCK_ACTIONS,
  serviceAccessPolicy,
  tlsOnlyBucketPolicy,
  type PolicyStatement,
} from "../../components/objectStore/renderPolicies";
import {
  objectStoreAwsSettings,
  objectStoreExternalSettings,
  objectStoreSettings,
} from "../../components/objectStore/settings";

const PREFIXED = { bucketPrefix: "acme-prod-" };

function layout(settings: object, backend: LayoutInput["backend"], extra: Partial<LayoutInput> = {}) {
  return buildObjectStoreLayout({
    settings: objectStoreSettings.parse(settings),
    backend,
    tls: backend === "aws",
    services: activeServices([]),
    ...extra,
  });
}

function bucket(plan: { buckets: readonly BucketPlan[] }, role: BucketPlan["role"]): BucketPlan {
  const found = plan.buckets.find((b) => b.role === role);
  if (!found) throw new Error(`no ${role} bucket`);
  return found;
}

describe("capability table", () => {
  it("has an entry for every backend and AWS has everything", () => {
    expect(Object.keys(CAPABILITIES).sort()).toEqual([...OBJECT_STORE_BACKENDS].sort());
    expect(Object.values(CAPABILITIES.aws).every(Boolean)).toBe(true);
  });

  it("records what RustFS lacks: default encryption without a KMS, the abort-upload rule, AWS IAM", () => {
    expect(CAPABILITIES.rustfs).toMatchObject({
      versioning: true,
      objectLock: true,
      bucketPolicy: true,
      publicAccessBlock: true,
      lifecycleExpiration: true,
      sseS3: false,
      sseKms: false,
      lifecycleAbortIncompleteUploads: false,
      iamPolicies: false,
    });
  });
});

describe("config that needs a missing feature", () => {
  it("refuses Object Lock and expiration on a generic S3 server, naming each key", () => {
    const settings = objectStoreSettings.parse({
      objectLock: { enabled: true, days: 30 },
      lifecycle: { expireAfterDays: { surfaceCache: 7 }, noncurrentVersionsExpireAfterDays: 30 },
    });
    expect(backendProblems(settings, "generic-s3").map((p) => p.path.join("."))).toEqual([
      "objectLock.enabled",
      "lifecycle.expireAfterDays.surfaceCache",
      "lifecycle.noncurrentVersionsExpireAfterDays",
    ]);
    expect(backendProblems(settings, "generic-s3")[0].message).toMatch(/^the generic-s3 backend does not support/);
    expect(backendProblems(settings, "rustfs")).toEqual([]);
  });

  it("refuses the catalog's plain default names on AWS, where bucket names are global", () => {
    const settings = objectStoreSettings.parse({ buckets: { replay: "acme-prod-replay" } });
    const problems = backendProblems(settings, "aws");
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toEqual(["bucketPrefix"]);
    expect(problems[0].message).toMatch(/^required on AWS while buckets\.scannerArtifacts, .*buckets\.exports keep/);
    expect(problems[0].message).not.toMatch(/buckets\.replay/);
    const unique = Object.fromEntries(BUCKET_ROLES.map((r) => [r, `acme-${r.toLowerCase()}`]));
    expect(backendProblems(objectStoreSettings.parse({ buckets: unique }), "aws")).toEqual([]);
    expect(backendProblems(objectStoreSettings.parse(PREFIXED), "aws")).toEqual([]);
    expect(backendProblems(objectStoreSettings.parse({}), "rustfs")).toEqual([]);
  });
});

describe("bucket layout per backend", () => {
  it("on AWS: versioning, encryption, public-access block, TLS-only policy, abort-upload rule on every bucket", () => {
    const plan = layout(PREFIXED, "aws", { encryption: { algorithm: "AES256" } });
    expect(plan.buckets.map((b) => b.role)).toEqual([...BUCKET_ROLES]);
    for (const b of plan.buckets) {
      expect(b).toMatchObject({
        versioning: true,
        encryption: { algorithm: "AES256" },
        publicAccessBlock: true,
        tlsOnlyPolicy: true,
        lifecycleRules: [{ id: "abort-incomplete-multipart-uploads", abortIncompleteUploadsAfterDays: 7 }],
      });
      expect(b.name).toMatch(/^acme-prod-/);
    }
    expect(plan.iamPolicies).toBe(true);
    expect(plan.skipped).toEqual([]);
  });

  it("on RustFS over http: no encryption, no TLS-only policy, no abort rule, no IAM; and says so", () => {
    const plan = layout({}, "rustfs");
    for (const b of plan.buckets) {
      expect(b).toMatchObject({ versioning: true, publicAccessBlock: true, tlsOnlyPolicy: false, lifecycleRules: [] });
      expect(b.encryption).toBeUndefined();
    }
    expect(plan.iamPolicies).toBe(false);
    expect(plan.skipped).toEqual([
      "TLS-only bucket policy (the endpoint is plain http)",
      "default encryption",
      "abort-incomplete-multipart-uploads lifecycle rule",
      "IAM policies (per-service policy documents are exported instead)",
    ]);
  });

  it("on RustFS behind https, the TLS-only policy is applied", () => {
    expect(layout({}, "rustfs", { tls: true }).buckets.every((b) => b.tlsOnlyPolicy)).toBe(true);
  });

  it("on a generic S3 server nothing but the buckets is attempted", () => {
    const plan = layout({}, "generic-s3");
    for (const b of plan.buckets) {
      expect(b).toMatchObject({
        versioning: false,
        publicAccessBlock: false,
        tlsOnlyPolicy: false,
        lifecycleRules: [],
      });
    }
  });

  it("refuses default encryption on a backend without it", () => {
    expect(() => layout({}, "rustfs", { encryption: { algorithm: "AES256" } })).toThrowError(/not available on rustfs/);
  });

  it("puts Object Lock on the evidence bucket only, with the configured default retention", () => {
    const plan = layout({ ...PREFIXED, objectLock: { enabled: true, mode: "COMPLIANCE", years: 7 } }, "aws");
    expect(bucket(plan, "evidence").objectLock).toEqual({ mode: "COMPLIANCE", days: undefined, years: 7 });
    expect(plan.buckets.filter((b) => b.objectLock !== undefined).map((b) => b.role)).toEqual(["evidence"]);
    expect(layout(PREFIXED, "aws").buckets.every((b) => b.objectLock === undefined)).toBe(true);
  });

  it("turns lifecycle settings into stable rules per bucket", () => {
    const plan = layout(
      {
        ...PREFIXED,
        lifecycle: {
          expireAfterDays: { surfaceCache: 30 },
          noncurrentVersionsExpireAfterDays: 90,
          abortIncompleteUploadsAfterDays: 0,
        },
      },
      "aws",
    );
    expect(bucket(plan, "surfaceCache").lifecycleRules).toEqual([
      { id: "expire-objects", expirationDays: 30 },
      { id: "expire-noncurrent-versions", noncurrentVersionExpirationDays: 90 },
    ]);
    expect(bucket(plan, "replay").lifecycleRules).toEqual([
      { id: "expire-noncurrent-versions", noncurrentVersionExpirationDays: 90 },
    ]);
  });

  it("gives each service exactly the catalog's bucket roles, and omits services without buckets", () => {
    const plan = layout({ objectLock: { enabled: true, days: 365 } }, "rustfs", {
      services: activeServices(["evidence-locker"]),
    });
    expect(plan.services).toEqual([
      {
        serviceId: "scanner",
        roles: ["scannerArtifacts", "surfaceCache", "surfaceManifests", "evidence", "replay"],
        objectLockRoles: ["evidence"],
      },
      { serviceId: "concelier", roles: ["exports"], objectLockRoles: [] },
      { serviceId: "evidence-locker", roles: ["evidence"], objectLockRoles: ["evidence"] },
    ]);
  });
});

describe("policies", () => {
  it("TLS-only bucket policy denies every non-TLS request to the bucket and its objects", () => {
    const doc = tlsOnlyBucketPolicy("arn:aws:s3:::acme-replay");
    expect(doc.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Resource: ["arn:aws:s3:::acme-replay", "arn:aws:s3:::acme-replay/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("a service policy lists its buckets, reads and writes their objects, and nothing else", () => {
    const arns = ["arn:aws:s3:::a-exports", "arn:aws:s3:::a-replay"];
    const doc = serviceAccessPolicy({ bucketArns: arns, objectLockBucketArns: [] });
    const resources = doc.Statement.flatMap((s) => s.Resource);
    expect(new Set(resources)).toEqual(new Set([...arns, ...arns.map((a) => `${a}/*`)]));
    expect(doc.Statement.every((s) => s.Effect === "Allow")).toBe(true);
    const list = doc.Statement.find((s) => s.Action.includes("s3:ListBucket")) as PolicyStatement;
    expect(list.Resource).toEqual(arns);
    const objects = doc.Statement.find((s) => s.Action.includes("s3:PutObject")) as PolicyStatement;
    expect(objects.Resource).toEqual(arns.map((a) => `${a}/*`));
    const actions = doc.Statement.flatMap((s) => s.Action);
    for (const forbidden of ["s3:*", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutBucketPolicy"]) {
      expect(actions).not.toContain(forbidden);
    }
  });

  it("adds retention and legal-hold actions on Object Lock buckets, and KMS use only through S3 in the region", () => {
    const doc = serviceAccessPolicy({
      bucketArns: ["arn:aws:s3:::a-evidence"],
      objectLockBucketArns: ["arn:aws:s3:::a-evidence"],
      kms: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/k", region: "eu-west-1" },
    });
    const lock = doc.Statement.find((s) => s.Sid === "RetainOwnObjects") as PolicyStatement;
    expect(lock.Action).toEqual([...OBJECT_LOCK_ACTIONS]);
    expect(lock.Resource).toEqual(["arn:aws:s3:::a-evidence/*"]);
    const kms = doc.Statement.find((s) => s.Sid === "UseBucketKeyThroughS3") as PolicyStatement;
    expect(kms).toMatchObject({
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: ["arn:aws:kms:eu-west-1:123456789012:key/k"],
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
  });
});

describe("AWS default encryption", () => {
  const key = "arn:aws:kms:eu-west-1:123456789012:key/0b7c3f3e-5d7c-4c9a-9a59-1f2e3d4c5b6a";
  it("uses SSE-KMS with the platform key when there is one, SSE-S3 otherwise", () => {
    expect(resolveAwsEncryption(objectStoreAwsSettings.parse({}), key)).toEqual({
      algorithm: "aws:kms",
      kmsKeyArn: key,
    });
    expect(resolveAwsEncryption(objectStoreAwsSettings.parse({}))).toEqual({ algorithm: "AES256" });
    expect(resolveAwsEncryption(objectStoreAwsSettings.parse({ encryption: "sse-s3" }), key)).toEqual({
      algorithm: "AES256",
    });
    expect(resolveAwsEncryption(objectStoreAwsSettings.parse({ encryption: "sse-kms" }))).toEqual({
      algorithm: "aws:kms",
    });
  });

  it("refuses a key given with SSE-S3 (it would do nothing)", () => {
    const parsed = objectStoreAwsSettings.safeParse({ encryption: "sse-s3", kmsKeyArn: key });
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ["kmsKeyArn"],
        message: expect.stringMatching(/only used with encryption "sse-kms"/),
      }),
    ]);
  });
});

describe("settings validation", () => {
  it("Object Lock needs exactly one retention period, and versioning", () => {
    const issues = (input: object) =>
      objectStoreSettings.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ objectLock: { enabled: true } })).toEqual([
      "objectLock.days: set exactly one of objectLock.days or objectLock.years (the default retention) when enabled is true",
    ]);
    expect(issues({ objectLock: { enabled: true, days: 1, years: 1 } })).toHaveLength(1);
    expect(issues({ objectLock: { days: 30 } })[0]).toMatch(/^objectLock.enabled: a retention period is set/);
    expect(issues({ versioning: false, objectLock: { enabled: true, days: 30 } })[0]).toMatch(
      /^versioning: must be true/,
    );
    expect(issues({ objectLock: { enabled: true, mode: "LEGAL", days: 1 } })[0]).toMatch(/GOVERNANCE/);
    expect(issues({ lifecycle: { expireAfterDays: { cache: 1 } } })[0]).toMatch(/Unrecognized key/);
    expect(issues({ objectLock: { enabled: true, years: 7 } })).toEqual([]);
  });

  it("never accepts the public default credentials for an external server", () => {
    const base = { endpoint: "https://s3.internal:9000", accessKey: "stellaops", secretKey: "a-long-secret" };
    expect(objectStoreExternalSettings.safeParse(base).success).toBe(true);
    for (const bad of [
      { accessKey: "rustfsadmin" },
      { secretKey: "rustfsadmin" },
      { secretKey: " RustFSAdmin " },
      { accessKey: "minioadmin" },
    ]) {
      const parsed = objectStoreExternalSettings.safeParse({ ...base, ...bad });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0].message).toMatch(/must not be a public default credential/);
      // The message never echoes the secret back.
      expect(JSON.stringify(parsed.error?.issues)).not.toMatch(/RustFSAdmin /);
    }
  });

  it("accepts only a base http(s) URL as the external endpoint", () => {
    const base = { accessKey: "stellaops", secretKey: "a-long-secret" };
    expect(objectStoreExternalSettings.safeParse({ ...base, endpoint: "http://10.0.0.5:9000/" }).success).toBe(true);
    for (const endpoint of ["ftp://s3.internal", "https://s3.internal/bucket", "s3.internal:9000"]) {
      expect(objectStoreExternalSettings.safeParse({ ...base, endpoint }).success).toBe(false);
    }
  });
});
