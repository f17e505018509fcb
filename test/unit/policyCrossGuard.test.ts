import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { crossGuardConfig, plainProps, toCrossGuardPolicy } from "../../policy/crossguard";
import { DEFAULT_CONTEXT, type StackContext } from "../../policy/model";
import { T } from "../../policy/resourceTypes";
import { RULES } from "../../policy/rules";
import { UNKNOWN } from "../../policy/values";
import { PROJECT_ROOT } from "../../plan/stackFiles";

/**
 * The rules as CrossGuard sees them: the policies the pack registers, called the way the policy server calls
 * them, and the per-stack config file that hands them the stack's context.
 */

const POLICY_DIR = join(PROJECT_ROOT, "policy");
const ctx = (over: Partial<StackContext> = {}): StackContext => ({ ...DEFAULT_CONTEXT, ...over });

function resourceArgs(type: string, props: Record<string, unknown>, config: object = {}): ResourceValidationArgs {
  return {
    type,
    props,
    urn: `urn:pulumi:prod::stellaops-infra::${type}::x`,
    name: "x",
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <C extends object>() => config as C,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  };
}

function policyResource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<PolicyResource> = {},
): PolicyResource {
  return {
    type,
    name,
    props,
    urn: `urn:pulumi:prod::stellaops-infra::${type}::${name}`,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
    ...extra,
  };
}

function policyNamed(name: string) {
  const rule = RULES.find((r) => r.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return toCrossGuardPolicy(rule);
}

describe("the policies the pack registers", () => {
  it("carry each rule's name, level, severity, remediation and a config schema for the context it reads", () => {
    for (const rule of RULES) {
      const policy = toCrossGuardPolicy(rule);
      expect(policy).toMatchObject({
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.level(DEFAULT_CONTEXT),
        severity: rule.severity,
        remediationSteps: rule.remediation,
      });
      expect(Object.keys(policy.configSchema?.properties ?? {}).sort()).toEqual([...rule.uses].sort());
      expect("validateResource" in policy).toBe(rule.kind === "resource");
      expect("validateStack" in policy).toBe(rule.kind === "stack");
    }
  });

  it("report a resource violation with its fix, and ignore other resource types", async () => {
    const policy = policyNamed("rds-not-public") as ResourceValidationPolicy;
    const validate = policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void;
    const reported: string[] = [];
    validate(resourceArgs(T.rdsInstance, { publiclyAccessible: true }), (m) => reported.push(m));
    validate(resourceArgs(T.rdsInstance, { publiclyAccessible: false }), (m) => reported.push(m));
    validate(resourceArgs(T.dockerVolume, { publiclyAccessible: true }), (m) => reported.push(m));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/Fix: set publiclyAccessible: false/);
  });

  it("read the stack context from their config (sealed via the generated config file)", () => {
    const policy = policyNamed("sealed-sources-from-mirror") as ResourceValidationPolicy;
    const validate = policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void;
    const reported: string[] = [];
    const image = { name: "docker.io/library/postgres:18.1", keepLocally: true };
    validate(resourceArgs(T.dockerRemoteImage, image), (m) => reported.push(m));
    expect(reported).toEqual([]);
    const config = crossGuardConfig(RULES, ctx({ sealed: true, mirrorRegistry: "registry.local:5000/stellaops" }));
    validate(resourceArgs(T.dockerRemoteImage, image, config["sealed-sources-from-mirror"]), (m) => reported.push(m));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/outside the mirror registry.local:5000\/stellaops/);
  });

  it("judge stack rules over the engine's resources, matching configuration to buckets by property dependency", () => {
    const policy = policyNamed("s3-public-access-blocked") as StackValidationPolicy;
    const bucket = policyResource(T.s3Bucket, "evidence", { bucket: UNKNOWN });
    const other = policyResource(T.s3Bucket, "replay", { bucket: "acme-replay" });
    const block = policyResource(
      T.s3PublicAccessBlock,
      "evidence-public-access",
      {
        bucket: UNKNOWN,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { propertyDependencies: { bucket: [bucket] }, dependencies: [bucket] },
    );
    const reported: { message: string; urn?: string }[] = [];
    const args: StackValidationArgs = {
      resources: [bucket, other, block],
      stackTags: new Map(),
      getConfig: <C extends object>() => ({}) as C,
      notApplicable: () => {
        throw new Error("not applicable");
      },
    };
    void policy.validateStack(args, (message, urn) => reported.push({ message, urn }));
    expect(reported.map((r) => r.urn)).toEqual([other.urn]);
  });

  it("see through the engine's unknown-value proxy instead of aborting a whole stack rule during preview", () => {
    const sentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const proxied = unknownCheckingProxy({ bucket: sentinel, nested: { ports: [{ ip: sentinel, internal: 5432 }] } });
    expect(() => (proxied as Record<string, unknown>)["bucket"]).toThrow(/can't be known during preview/);
    expect(plainProps(proxied as Record<string, unknown>)).toEqual({
      bucket: UNKNOWN,
      nested: { ports: [{ ip: UNKNOWN, internal: 5432 }] },
    });
    // Unknown booleans use another marker; it becomes the same UNKNOWN rules treat as "not judged".
    const boolSentinel = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
    expect(plainProps(unknownCheckingProxy({ storageEncrypted: boolSentinel }) as Record<string, unknown>)).toEqual({
      storageEncrypted: UNKNOWN,
    });
  });
});

describe("the generated --policy-pack-config", () => {
  it("sets each policy's level for the stack and only the context values it reads", () => {
    const sealedProd = ctx({
      sealed: true,
      mirrorRegistry: "registry.local:5000",
      production: true,
      evidenceBucket: "e",
    });
    const config = crossGuardConfig(RULES, sealedProd);
    expect(Object.keys(config).sort()).toEqual(RULES.map((r) => r.name).sort());
    expect(config["images-pinned-by-digest"]).toEqual({ enforcementLevel: "mandatory", sealed: true });
    expect(config["production-stateful-protect"]).toEqual({ enforcementLevel: "mandatory", production: true });
    expect(config["evidence-object-lock"]).toEqual({
      enforcementLevel: "disabled",
      immutableEvidence: false,
      evidenceBucket: "e",
    });
    expect(config["rds-storage-encrypted"]).toEqual({ enforcementLevel: "mandatory" });
    const connected = crossGuardConfig(RULES, ctx());
    expect(connected["images-pinned-by-digest"].enforcementLevel).toBe("advisory");
    expect(connected["production-deletion-protection"].enforcementLevel).toBe("disabled");
  });

  it("holds values of the types the policies' config schemas declare", () => {
    const config = crossGuardConfig(
      RULES,
      ctx({ sealed: true, mirrorRegistry: "m", production: true, immutableEvidence: true, evidenceBucket: "e" }),
    );
    for (const rule of RULES) {
      const schema = toCrossGuardPolicy(rule).configSchema?.properties ?? {};
      for (const [key, value] of Object.entries(config[rule.name])) {
        if (key === "enforcementLevel") continue;
        const declared = schema[key] as { type?: string };
        expect(declared, `${rule.name}.${key}`).toBeDefined();
        const actual = Array.isArray(value) ? "array" : typeof value === "number" ? "integer" : typeof value;
        expect(actual, `${rule.name}.${key}`).toBe(declared.type);
      }
    }
  });
});

describe("the pack's files", () => {
  it("declare a Node.js policy pack whose dependencies are the project's own pinned versions", () => {
    const manifest = parse(readFileSync(join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
    expect(manifest["runtime"]).toBe("nodejs");
    const pack = JSON.parse(readFileSync(join(POLICY_DIR, "package.json"), "utf8")) as {
      main: string;
      dependencies: Record<string, string>;
    };
    const root = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const rootVersions = { ...root.dependencies, ...root.devDependencies };
    expect(pack.main).toBe("index.ts");
    for (const [name, version] of Object.entries(pack.dependencies)) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(version, `${name} must match the root package.json`).toBe(rootVersions[name]);
    }
  });

  it("construct the PolicyPack (which starts a server) in policy/index.ts only, and import nothing outside policy/", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
      );
    for (const file of files(POLICY_DIR)) {
      const text = readFileSync(file, "utf8");
      expect(/new PolicyPack\(/.test(text), file).toBe(file === join(POLICY_DIR, "index.ts"));
      const relativeImports = [...text.matchAll(/from "(\.[^"]*)"/g)].map((m) => m[1]);
      const depth = file.slice(POLICY_DIR.length + 1).split("/").length - 1;
      for (const spec of relativeImports) {
        const ups = spec.split("/").filter((p) => p === "..").length;
        expect(ups, `${file} imports ${spec}`).toBeLessThanOrEqual(depth);
      }
    }
  });
});
