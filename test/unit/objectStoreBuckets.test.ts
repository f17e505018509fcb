import { beforeEach, describe, expect, it } from "vitest";
import { Buckets } from "../../components/objectStore/buckets";
import { ObjectStoreDockerServer } from "../../components/objectStore/docker";
import { BUCKET_ROLES } from "../../components/catalog";
import { fullBucketNames } from "../../components/objectStore/bucketNames";
import { servicePolicyIdentity, type PolicyDocument } from "../../components/objectStore/renderPolicies";
import {
  objectStoreAwsSettings,
  objectStoreDockerSettings,
  objectStoreSettings,
} from "../../components/objectStore/settings";
import {
  assertUniqueUrns,
  findResource,
  isSecret,
  isSecretOutput,
  resetRecorder,
  resourcesOfType,
  settled,
  testDockerPlatform,
  unwrapSecrets,
  valueOf,
  type RecordedResource,
  testAwsPlatform,
  plainStrings,
} from "../harness";

const S3 = {
  bucket: "aws:s3/bucket:Bucket",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  iamPolicy: "aws:iam/policy:Policy",
} as const;
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b7c3f3e-5d7c-4c9a-9a59-1f2e3d4c5b6a";
const PROD = { bucketPrefix: "acme-prod-" };

function onAws(settings: object = PROD, options: { kmsKeyArn?: string; aws?: object; optional?: string[] } = {}) {
  const platform = testAwsPlatform({ kmsKeyArn: options.kmsKeyArn });
  return new Buckets("buckets", {
    settings: objectStoreSettings.parse(settings),
    target: { kind: "aws", platform, region: "eu-west-1", aws: objectStoreAwsSettings.parse(options.aws ?? {}) },
    optionalServices: options.optional ?? [],
    stateful: platform.stateful,
  });
}

function onRustfs(settings: object = {}, optional: string[] = []) {
  const platform = testDockerPlatform({ stateful: { protect: false, retainOnDelete: false } });
  const server = new ObjectStoreDockerServer("rustfs", {
    platform,
    docker: objectStoreDockerSettings.parse({ hostPort: 18080 }),
  });
  const buckets = new Buckets("buckets", {
    settings: objectStoreSettings.parse(settings),
    target: { kind: "server", server },
    optionalServices: optional,
    stateful: platform.stateful,
  });
  return { server, buckets };
}

/** Sub-resource types per bucket name (the part of the logical name after `buckets-<role>`). */
function subResourceTypes(): Record<string, string[]> {
  const byBucket: Record<string, string[]> = {};
  for (const type of Object.values(S3).filter((t) => t !== S3.bucket && t !== S3.iamPolicy)) {
    for (const r of resourcesOfType(type)) {
      const bucket = findResource(
        S3.bucket,
        r.name.replace(/-(public-access|tls-only|versioning|object-lock|encryption|lifecycle)$/, ""),
      );
      (byBucket[bucket.inputs["bucket"] as string] ??= []).push(type.split(":").pop() as string);
    }
  }
  return byBucket;
}

function policyOf(record: RecordedResource): PolicyDocument {
  return JSON.parse(unwrapSecrets(record.inputs["policy"]) as string) as PolicyDocument;
}

describe("Buckets on AWS", () => {
  beforeEach(() => resetRecorder());

  it("creates exactly the six buckets and, on each, every AWS hardening resource", async () => {
    onAws(PROD, { kmsKeyArn: KEY });
    const records = await settled();
    assertUniqueUrns(records);
    const names = resourcesOfType(S3.bucket).map((b) => b.inputs["bucket"]);
    expect(names.sort()).toEqual(
      [
        "acme-prod-evidence-locker",
        "acme-prod-mirror-exports",
        "acme-prod-replay",
        "acme-prod-scanner-artifacts",
        "acme-prod-surface-cache",
        "acme-prod-surface-manifests",
      ].sort(),
    );
    const expected = [
      "BucketPublicAccessBlock",
      "BucketPolicy",
      "BucketVersioning",
      "BucketServerSideEncryptionConfiguration",
      "BucketLifecycleConfiguration",
    ];
    for (const name of names) expect(subResourceTypes()[name as string].sort()).toEqual([...expected].sort());
    // Object Lock is off unless config asks for it.
    expect(resourcesOfType(S3.objectLock)).toEqual([]);
    const component = findResource("stellaops:objectStore:Buckets", "buckets");
    for (const b of resourcesOfType(S3.bucket)) {
      expect(b.parent).toBe(component.urn);
      expect(b.provider).toMatch(/::aws::/);
      expect(b.inputs).toMatchObject({ forceDestroy: false, objectLockEnabled: false });
      // Tags come from the provider's defaultTags only: a tag edit never touches a bucket.
      expect(b.inputs).not.toHaveProperty("tags");
      expect(b.options).toMatchObject({ protect: true, retainOnDelete: true });
    }
  });

  it("blocks all four kinds of public access, and encrypts with the platform's KMS key and a bucket key", async () => {
    onAws(PROD, { kmsKeyArn: KEY });
    await settled();
    for (const pab of resourcesOfType(S3.publicAccess)) {
      expect(pab.inputs).toMatchObject({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      });
    }
    for (const sse of resourcesOfType(S3.encryption)) {
      expect(sse.inputs["rules"]).toEqual([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
          bucketKeyEnabled: true,
        },
      ]);
    }
  });

  it("uses SSE-S3 when no KMS key is configured", async () => {
    onAws(PROD);
    await settled();
    const rules = resourcesOfType(S3.encryption).map((r) => r.inputs["rules"]);
    expect(rules).toHaveLength(6);
    for (const r of rules) expect(r).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
  });

  it("each bucket's policy denies every request that is not over TLS, for that bucket only", async () => {
    onAws();
    await settled();
    const policies = resourcesOfType(S3.policy);
    expect(policies).toHaveLength(6);
    for (const record of policies) {
      const bucket = record.inputs["bucket"] as string;
      const doc = policyOf(record);
      expect(doc.Statement).toHaveLength(1);
      expect(doc.Statement[0]).toEqual({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    }
  });

  it("applies a bucket's configuration one step at a time (S3 refuses concurrent changes to one bucket)", async () => {
    onAws();
    await settled();
    const replay = findResource(S3.bucket, "buckets-replay");
    const steps = [
      findResource(S3.publicAccess, "buckets-replay-public-access"),
      findResource(S3.policy, "buckets-replay-tls-only"),
      findResource(S3.versioning, "buckets-replay-versioning"),
      findResource(S3.encryption, "buckets-replay-encryption"),
      findResource(S3.lifecycle, "buckets-replay-lifecycle"),
    ];
    expect(steps[0].dependencies).toContain(replay.urn);
    for (let i = 1; i < steps.length; i++) expect(steps[i].dependencies).toContain(steps[i - 1].urn);
  });

  it("one IAM policy per service with buckets, granting exactly that service's buckets", async () => {
    const buckets = onAws(PROD, { optional: ["evidence-locker"] });
    await settled();
    const policies = resourcesOfType(S3.iamPolicy);
    expect(policies.map((p) => p.inputs["name"]).sort()).toEqual(
      ["stellaops-prod-concelier-s3", "stellaops-prod-evidence-locker-s3", "stellaops-prod-scanner-s3"].sort(),
    );
    const expectedBuckets: Record<string, string[]> = {
      scanner: ["scanner-artifacts", "surface-cache", "surface-manifests", "replay", "evidence-locker"],
      concelier: ["mirror-exports"],
      "evidence-locker": ["evidence-locker"],
    };
    for (const [service, bucketNames] of Object.entries(expectedBuckets)) {
      const doc = policyOf(findResource(S3.iamPolicy, `buckets-${service}-policy`));
      const arns = bucketNames.map((n) => `arn:aws:s3:::acme-prod-${n}`);
      const list = doc.Statement.find((s) => s.Action.includes("s3:ListBucket"));
      const objects = doc.Statement.find((s) => s.Action.includes("s3:GetObject"));
      expect(new Set(list?.Resource)).toEqual(new Set(arns));
      expect(new Set(objects?.Resource)).toEqual(new Set(arns.map((a) => `${a}/*`)));
      // Nothing but those buckets and their objects, and no wildcard anywhere.
      const all = new Set(doc.Statement.flatMap((s) => s.Resource));
      expect(all).toEqual(new Set([...arns, ...arns.map((a) => `${a}/*`)]));
      expect(doc.Statement.flatMap((s) => s.Action).some((a) => a.includes("*"))).toBe(false);
      expect(await valueOf(buckets.connections[service].iamPolicyArn as never)).toBe(
        `arn:aws:iam::123456789012:policy/stellaops-prod-${service}-s3`,
      );
    }
    // Services without buckets get no policy and no object-storage connection.
    expect(buckets.connections["authority"]).toBeUndefined();
  });

  it("a policy's replacement-forcing inputs name only its service, so a change of its buckets updates in place", async () => {
    // IAM's name, path and description force a new policy (terraform-provider-aws iam/policy.go), and the name is
    // fixed: a replacement would fail with EntityAlreadyExists. Which buckets a service uses lives in the document.
    onAws(PROD, { optional: ["evidence-locker"] });
    await settled();
    const policies = resourcesOfType(S3.iamPolicy);
    expect(policies.length).toBe(3);
    for (const policy of policies) {
      const service = policy.name.replace(/^buckets-|-policy$/g, "");
      expect(policy.inputs).toMatchObject(servicePolicyIdentity("stellaops-prod", service));
      expect(policy.inputs["path"]).toBeUndefined();
      // A stack created with the older, role-listing description keeps it instead of replacing the policy.
      expect(policy.options.ignoreChanges).toEqual(["description"]);
      // Without the service id itself ("evidence-locker" contains a role's name).
      const forcing = `${String(policy.inputs["name"])} ${String(policy.inputs["description"])}`.replaceAll(
        service,
        "",
      );
      for (const role of BUCKET_ROLES) expect(forcing).not.toContain(role);
      for (const name of Object.values(fullBucketNames(objectStoreSettings.parse(PROD)))) {
        expect(forcing).not.toContain(name);
      }
    }
  });

  it("grants KMS use through S3 when the buckets use a customer key", async () => {
    onAws(PROD, { kmsKeyArn: KEY });
    await settled();
    const doc = policyOf(findResource(S3.iamPolicy, "buckets-concelier-policy"));
    expect(doc.Statement.find((s) => s.Resource.includes(KEY))).toMatchObject({
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
  });

  it("hands services an endpoint, region, bucket names and the policy ARN, and no static keys", async () => {
    const buckets = onAws();
    await settled();
    const scanner = buckets.connections["scanner"];
    expect(await valueOf(scanner.endpoint)).toBe("https://s3.eu-west-1.amazonaws.com");
    expect(await valueOf(scanner.region)).toBe("eu-west-1");
    expect(scanner.pathStyle).toBe(false);
    expect(scanner.accessKey).toBeUndefined();
    expect(scanner.secretKey).toBeUndefined();
    expect(Object.keys(scanner.buckets)).toEqual([
      "scannerArtifacts",
      "surfaceCache",
      "surfaceManifests",
      "evidence",
      "replay",
    ]);
    expect(await valueOf(scanner.buckets["replay"])).toBe("acme-prod-replay");
  });
});

describe("Object Lock on the evidence bucket", () => {
  beforeEach(() => resetRecorder());

  it("is chosen at creation, with the configured default retention, on the evidence bucket only", async () => {
    onAws({ ...PROD, objectLock: { enabled: true, mode: "COMPLIANCE", years: 7 } });
    await settled();
    const evidence = findResource(S3.bucket, "buckets-evidence");
    expect(evidence.inputs["objectLockEnabled"]).toBe(true);
    expect(evidence.options.protect).toBe(true);
    const locked = resourcesOfType(S3.bucket).filter((b) => b.inputs["objectLockEnabled"] === true);
    expect(locked.map((b) => b.name)).toEqual(["buckets-evidence"]);
    const lock = findResource(S3.objectLock, "buckets-evidence-object-lock");
    expect(lock.inputs).toMatchObject({
      bucket: "acme-prod-evidence-locker",
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", years: 7 } },
    });
    expect(lock.inputs["rule"]).not.toHaveProperty(["defaultRetention", "days"]);
    // Versioning first: Object Lock protects versions.
    expect(lock.dependencies).toContain(findResource(S3.versioning, "buckets-evidence-versioning").urn);
  });

  it("lets only the services using the evidence bucket set retention and legal holds, never bypass them", async () => {
    onAws({ ...PROD, objectLock: { enabled: true, days: 365 } }, { optional: ["evidence-locker"] });
    await settled();
    for (const service of ["scanner", "evidence-locker"]) {
      const doc = policyOf(findResource(S3.iamPolicy, `buckets-${service}-policy`));
      const retention = doc.Statement.find((s) => s.Action.includes("s3:PutObjectRetention"));
      expect(retention?.Resource).toEqual(["arn:aws:s3:::acme-prod-evidence-locker/*"]);
      expect(doc.Statement.flatMap((s) => s.Action)).not.toContain("s3:BypassGovernanceRetention");
    }
    const concelier = policyOf(findResource(S3.iamPolicy, "buckets-concelier-policy"));
    expect(concelier.Statement.flatMap((s) => s.Action)).not.toContain("s3:PutObjectRetention");
  });

  it("turning it on later changes only objectLockEnabled on the evidence bucket: a replacement protect refuses", async () => {
    onAws(PROD);
    await settled();
    const before = Object.fromEntries(resourcesOfType(S3.bucket).map((b) => [b.name, b]));
    resetRecorder();
    onAws({ ...PROD, objectLock: { enabled: true, days: 30 } });
    await settled();
    for (const after of resourcesOfType(S3.bucket)) {
      const changed = Object.keys(after.inputs).filter(
        (k) => JSON.stringify(after.inputs[k]) !== JSON.stringify(before[after.name].inputs[k]),
      );
      expect(changed).toEqual(after.name === "buckets-evidence" ? ["objectLockEnabled"] : []);
      expect(after.options.protect).toBe(true);
    }
  });
});

describe("stable bucket inputs", () => {
  beforeEach(() => resetRecorder());

  it("no setting but the name and Object Lock touches a bucket's inputs or options", async () => {
    onAws(PROD);
    await settled();
    const snapshot = (records: RecordedResource[]) =>
      JSON.stringify(records.map((b) => ({ name: b.name, inputs: b.inputs, options: b.options })));
    const before = snapshot(resourcesOfType(S3.bucket));
    resetRecorder();
    onAws(
      {
        ...PROD,
        versioning: true,
        lifecycle: {
          expireAfterDays: { surfaceCache: 14 },
          noncurrentVersionsExpireAfterDays: 30,
          abortIncompleteUploadsAfterDays: 2,
        },
      },
      { kmsKeyArn: KEY, aws: { encryption: "sse-kms" }, optional: ["evidence-locker", "graph"] },
    );
    await settled();
    expect(snapshot(resourcesOfType(S3.bucket))).toBe(before);
    // The unrelated changes did land where they belong.
    expect(findResource(S3.lifecycle, "buckets-surfaceCache-lifecycle").inputs["rules"]).toContainEqual(
      expect.objectContaining({ id: "expire-objects", expiration: { days: 14 } }),
    );
  });
});

describe("Buckets on RustFS (Docker)", () => {
  beforeEach(() => resetRecorder());

  it("creates the buckets through a path-style S3 provider on the published port with the AWS-only checks off", async () => {
    onRustfs();
    await settled();
    const provider = findResource("pulumi:providers:aws", "buckets-provider");
    expect(unwrapSecrets(provider.inputs)).toMatchObject({
      endpoints: JSON.stringify([{ s3: "http://127.0.0.1:18080" }]),
      region: "us-east-1",
      s3UsePathStyle: "true",
      skipCredentialsValidation: "true",
      skipRequestingAccountId: "true",
      skipMetadataApiCheck: "true",
      skipRegionValidation: "true",
    });
    expect(isSecret(provider.inputs["secretKey"])).toBe(true);
    for (const b of resourcesOfType(S3.bucket)) {
      expect(b.provider?.startsWith(`${provider.urn}::`)).toBe(true);
      expect(b.inputs["bucket"]).not.toMatch(/^acme/);
      expect(b.inputs["tags"]).toBeUndefined();
    }
  });

  it("attempts only what RustFS supports: no encryption, no IAM, no abort rule, no TLS policy on plain http", async () => {
    onRustfs();
    await settled();
    expect(resourcesOfType(S3.bucket)).toHaveLength(6);
    for (const types of Object.values(subResourceTypes())) {
      expect(types.sort()).toEqual(["BucketPublicAccessBlock", "BucketVersioning"]);
    }
    for (const type of [S3.encryption, S3.iamPolicy, S3.lifecycle, S3.policy, S3.objectLock]) {
      expect(resourcesOfType(type)).toEqual([]);
    }
  });

  it("creates the evidence bucket with Object Lock and expiration rules where configured", async () => {
    onRustfs({
      objectLock: { enabled: true, mode: "GOVERNANCE", days: 90 },
      lifecycle: { expireAfterDays: { surfaceCache: 30 } },
    });
    await settled();
    expect(findResource(S3.bucket, "buckets-evidence").inputs["objectLockEnabled"]).toBe(true);
    expect(findResource(S3.objectLock, "buckets-evidence-object-lock").inputs["rule"]).toEqual({
      defaultRetention: { mode: "GOVERNANCE", days: 90 },
    });
    expect(findResource(S3.lifecycle, "buckets-surfaceCache-lifecycle").inputs["rules"]).toEqual([
      { id: "expire-objects", status: "Enabled", filter: { prefix: "" }, expiration: { days: 30 } },
    ]);
  });

  it("every bucket resource waits for the healthy container, and depends on nothing else", async () => {
    onRustfs({ objectLock: { enabled: true, days: 1 } });
    await settled();
    const container = findResource("docker:index/container:Container", "rustfs-server");
    const provider = findResource("pulumi:providers:aws", "buckets-provider");
    expect(provider.dependencies).toContain(container.urn);
    const ours = Object.values(S3).flatMap((t) => resourcesOfType(t));
    expect(ours.length).toBeGreaterThan(6);
    const allowed = new Set([container.urn, ...ours.map((r) => r.urn)]);
    for (const r of ours) {
      expect(r.dependencies).toContain(container.urn);
      expect(r.dependencies.filter((d) => !allowed.has(d))).toEqual([]);
    }
  });

  it("hands services the in-network URL, path style and the server's keys as secrets; no plaintext key anywhere", async () => {
    const { server, buckets } = onRustfs();
    const records = await settled();
    const scanner = buckets.connections["scanner"];
    expect(await valueOf(scanner.endpoint)).toBe("http://stellaops-dev-rustfs:8080");
    expect(scanner.pathStyle).toBe(true);
    expect(scanner.iamPolicyArn).toBeUndefined();
    for (const key of [scanner.accessKey, scanner.secretKey]) {
      expect(key).toBeDefined();
      expect(await isSecretOutput(key as never)).toBe(true);
    }
    const secret = await valueOf(server.admin.password);
    const access = await valueOf(server.admin.username);
    for (const r of records) {
      const plain = plainStrings(r.inputs).join("\n");
      expect(plain).not.toContain(secret);
      expect(plain).not.toContain(access);
    }
    // Policy documents are exported for RustFS operators, with RustFS's ARN form.
    const doc = JSON.parse(await valueOf(buckets.servicePolicyDocuments["concelier"])) as PolicyDocument;
    expect(doc.Statement[0].Resource).toEqual(["arn:aws:s3:::mirror-exports"]);
  });
});
