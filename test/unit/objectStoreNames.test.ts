import { describe, expect, it } from "vitest";
import { DEFAULT_BUCKET_NAMES } from "../../components/catalog";
import {
  bucketNameProblems,
  bucketNameViolation,
  bucketPrefixViolation,
  fullBucketNames,
} from "../../components/objectStore/bucketNames";
import { objectStoreSettings } from "../../components/objectStore/settings";
import { ConfigError, parseStackConfig } from "../../profiles/config";

describe("bucket names", () => {
  it.each([
    ["ab", /3 to 63 characters/],
    ["a".repeat(64), /3 to 63 characters/],
    ["Scanner-Artifacts", /only lowercase letters, digits, hyphens/],
    ["scanner_artifacts", /only lowercase letters, digits, hyphens/],
    ["-scanner", /start and end with a lowercase letter or digit/],
    ["scanner-", /start and end with a lowercase letter or digit/],
    ["scanner.", /start and end with a lowercase letter or digit/],
    ["scanner..artifacts", /two adjacent dots/],
    ["scanner.-artifacts", /dot-separated part/],
    ["scanner-.artifacts", /dot-separated part/],
    ["192.168.5.4", /IP address/],
    ["xn--scanner", /reserved prefix "xn--"/],
    ["sthree-scanner", /reserved prefix "sthree-"/],
    ["amzn-s3-demo-bucket", /reserved prefix "amzn-s3-demo-"/],
    ["scanner-s3alias", /reserved suffix "-s3alias"/],
    ["scanner--ol-s3", /reserved suffix "--ol-s3"/],
    ["scanner.mrap", /reserved suffix ".mrap"/],
    ["scanner--x-s3", /reserved suffix "--x-s3"/],
    ["scanner--table-s3", /reserved suffix "--table-s3"/],
  ])("refuses %j and says which rule it breaks", (name, rule) => {
    expect(bucketNameViolation(name)).toMatch(rule);
  });

  it.each(["abc", "a".repeat(63), "scanner-artifacts", "acme.prod.replay", "1st-bucket", "192.168.5.4x"])(
    "accepts %j",
    (name) => {
      expect(bucketNameViolation(name)).toBeUndefined();
    },
  );

  it("accepts every catalog default, alone and behind a typical prefix", () => {
    for (const name of Object.values(DEFAULT_BUCKET_NAMES)) {
      expect(bucketNameViolation(name)).toBeUndefined();
      expect(bucketNameViolation(`acme-prod-${name}`)).toBeUndefined();
    }
  });

  it("checks a bad prefix once, at bucketPrefix, instead of once per bucket", () => {
    expect(bucketPrefixViolation("Acme-")).toMatch(/lowercase/);
    expect(bucketPrefixViolation("xn--acme-")).toMatch(/reserved prefix/);
    expect(bucketPrefixViolation("-acme")).toMatch(/start with a lowercase letter or digit/);
    expect(bucketPrefixViolation("")).toBeUndefined();
    const problems = bucketNameProblems({ bucketPrefix: "ACME-", buckets: { ...DEFAULT_BUCKET_NAMES } });
    expect(problems).toEqual([{ path: ["bucketPrefix"], message: expect.stringMatching(/lowercase/) }]);
  });

  it("validates prefix + name together: a name too long only with its prefix is refused at that bucket", () => {
    const buckets = { ...DEFAULT_BUCKET_NAMES, replay: "r".repeat(60) };
    expect(bucketNameProblems({ bucketPrefix: "", buckets })).toEqual([]);
    const problems = bucketNameProblems({ bucketPrefix: "acme-", buckets });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toEqual(["buckets", "replay"]);
    expect(problems[0].message).toMatch(/bucketPrefix "acme-" \+ "r+"\) must be 3 to 63 characters long \(it has 65\)/);
  });

  it("refuses two roles sharing one bucket", () => {
    const buckets = { ...DEFAULT_BUCKET_NAMES, exports: "replay" };
    expect(bucketNameProblems({ bucketPrefix: "", buckets })).toEqual([
      { path: ["buckets", "exports"], message: expect.stringMatching(/already used by buckets\.replay/) },
    ]);
  });

  it("prefixes every role's name", () => {
    expect(fullBucketNames({ bucketPrefix: "acme-", buckets: { ...DEFAULT_BUCKET_NAMES } })).toEqual({
      scannerArtifacts: "acme-scanner-artifacts",
      surfaceCache: "acme-surface-cache",
      surfaceManifests: "acme-surface-manifests",
      evidence: "acme-evidence-locker",
      replay: "acme-replay",
      exports: "acme-mirror-exports",
    });
  });
});

describe("bucket names in the settings schema", () => {
  it("reports the rule at objectStore.buckets.<role>", () => {
    const parsed = objectStoreSettings.safeParse({ buckets: { surfaceCache: "Surface_Cache" } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ["buckets", "surfaceCache"],
        message: expect.stringMatching(/"Surface_Cache" may contain only lowercase letters/),
      }),
    ]);
  });

  it("reaches the operator as stellaops-infra:objectStore.buckets.<role> through the stack config loader", () => {
    const raw = {
      "stellaops-infra:profile": "docker",
      "stellaops-infra:objectStore": JSON.stringify({ bucketPrefix: "acme-", buckets: { replay: "replay..v2" } }),
    };
    let error: unknown;
    try {
      parseStackConfig(raw, "dev");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      {
        key: "stellaops-infra:objectStore.buckets.replay",
        message: expect.stringMatching(/"acme-replay\.\.v2" .*must not contain two adjacent dots/),
      },
    ]);
  });

  it("parses {} to the catalog defaults with no prefix", () => {
    const settings = objectStoreSettings.parse({});
    expect(settings.buckets).toEqual(DEFAULT_BUCKET_NAMES);
    expect(settings.bucketPrefix).toBe("");
  });
});
