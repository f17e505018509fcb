import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeRequest,
  AnalyzeResponse,
  AnalyzeStackRequest,
  AnalyzerInfo,
  AnalyzerResource,
  AnalyzerResourceOptions,
  ConfigureAnalyzerRequest,
  EnforcementLevel,
  PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crossGuardConfig } from "../../policy/crossguard";
import { DEFAULT_CONTEXT } from "../../policy/model";
import { T } from "../../policy/resourceTypes";
import { RULES } from "../../policy/rules";
import { PROJECT_ROOT } from "../../plan/stackFiles";
import { waitUntil } from "../support/servers";

/**
 * The policy pack as `pulumi preview --policy-pack policy` runs it: started by @pulumi/pulumi's own
 * run-policy-pack entry point (TypeScript compiled and type-checked the way Pulumi does it), then asked over its
 * gRPC analyzer interface, as the engine asks: which policies it has, with the stack's config, and to judge
 * resources one by one and as a stack. The CLI itself is not installable here; this is the part of the engine
 * contract the pack owns.
 */

// gRPC and protobuf exactly as @pulumi/pulumi's generated analyzer code loads them (its `instanceof` checks
// need the same module instances), whatever npm hoists.
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcTypes;
const { Empty } = fromPulumi(
  "google-protobuf/google/protobuf/empty_pb",
) as typeof import("google-protobuf/google/protobuf/empty_pb");
const { Struct } = fromPulumi(
  "google-protobuf/google/protobuf/struct_pb",
) as typeof import("google-protobuf/google/protobuf/struct_pb");
type Empty = InstanceType<typeof Empty>;

const POLICY_DIR = join(PROJECT_ROOT, "policy");
const RUNNER = join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js");

let pack: ChildProcess | undefined;
let client: AnalyzerClient;
let output = "";

function call<Req, Res>(
  method: (req: Req, cb: (err: grpcTypes.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));
}

function options(protect = false): AnalyzerResourceOptions {
  const opts = new AnalyzerResourceOptions();
  opts.setProtect(protect);
  return opts;
}

function analyzerResource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  deps: string[] = [],
): AnalyzerResource {
  const r = new AnalyzerResource();
  r.setType(type);
  r.setName(name);
  r.setUrn(`urn:pulumi:prod::stellaops-infra::${type}::${name}`);
  r.setProperties(Struct.fromJavaScript(props as never));
  r.setOptions(options());
  r.setDependenciesList(deps);
  return r;
}

async function analyze(type: string, props: Record<string, unknown>) {
  const req = new AnalyzeRequest();
  req.setType(type);
  req.setName("x");
  req.setUrn(`urn:pulumi:prod::stellaops-infra::${type}::x`);
  req.setProperties(Struct.fromJavaScript(props as never));
  req.setOptions(options());
  const res = await call<AnalyzeRequest, AnalyzeResponse>(client.analyze, req);
  return res
    .getDiagnosticsList()
    .map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));
}

beforeAll(async () => {
  pack = spawn(process.execPath, [RUNNER, "127.0.0.1:0", "."], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
  pack.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  pack.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // The pack prints the port it serves on once TypeScript has compiled and the PolicyPack is built.
  await waitUntil(
    async () => /^\d+$/m.test(output) || pack?.exitCode !== null,
    "the policy pack to print its port",
    900,
    100,
  );
  const port = /^(\d+)$/m.exec(output)?.[1];
  if (!port) throw new Error(`the policy pack did not start:\n${output}`);
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
  client?.close();
  pack?.kill("SIGTERM");
});

describe("the policy pack under Pulumi's policy runner", () => {
  it("serves every rule as a policy, with its description and default level", async () => {
    const info = await call<Empty, AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
    expect(info.getName()).toBe("stellaops-infra");
    const policies = info.getPoliciesList();
    expect(policies.map((p) => p.getName()).sort()).toEqual(RULES.map((r) => r.name).sort());
    const pinned = policies.find((p) => p.getName() === "images-pinned-by-digest");
    expect(pinned?.getEnforcementlevel()).toBe(EnforcementLevel.ADVISORY);
    expect(policies.find((p) => p.getName() === "rds-not-public")?.getEnforcementlevel()).toBe(
      EnforcementLevel.MANDATORY,
    );
  });

  it("reports a mandatory violation, with its fix, for a public RDS instance", async () => {
    const found = await analyze(T.rdsInstance, {
      engine: "postgres",
      publiclyAccessible: true,
      storageEncrypted: true,
    });
    expect(found).toEqual([
      {
        policy: "rds-not-public",
        level: EnforcementLevel.MANDATORY,
        message: expect.stringMatching(/Fix: set publiclyAccessible: false/),
      },
    ]);
  });

  it("judges an air-gapped stack by the config `npm run policy -- --crossguard-config` writes", async () => {
    const image = { name: "docker.io/library/postgres:18.1", keepLocally: true };
    expect((await analyze(T.dockerRemoteImage, image)).map((d) => [d.policy, d.level])).toEqual([
      ["images-pinned-by-digest", EnforcementLevel.ADVISORY],
    ]);

    const sealed = crossGuardConfig(RULES, {
      ...DEFAULT_CONTEXT,
      sealed: true,
      mirrorRegistry: "registry.local:5000/stellaops",
    });
    const req = new ConfigureAnalyzerRequest();
    const levels: Record<string, EnforcementLevel> = {
      advisory: EnforcementLevel.ADVISORY,
      mandatory: EnforcementLevel.MANDATORY,
      disabled: EnforcementLevel.DISABLED,
    };
    for (const [name, { enforcementLevel, ...properties }] of Object.entries(sealed)) {
      const config = new PolicyConfig();
      config.setEnforcementlevel(levels[enforcementLevel]);
      config.setProperties(Struct.fromJavaScript(properties as never));
      req.getPolicyconfigMap().set(name, config);
    }
    await call<ConfigureAnalyzerRequest, Empty>(client.configure, req);

    const found = await analyze(T.dockerRemoteImage, image);
    expect(found.map((d) => [d.policy, d.level]).sort()).toEqual([
      ["images-pinned-by-digest", EnforcementLevel.MANDATORY],
      ["sealed-sources-from-mirror", EnforcementLevel.MANDATORY],
    ]);
  });

  it("judges buckets together with the resources that configure them", async () => {
    const bucket = analyzerResource(T.s3Bucket, "evidence", { bucket: "acme-evidence" });
    const block = analyzerResource(
      T.s3PublicAccessBlock,
      "evidence-public-access",
      {
        bucket: "acme-evidence",
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: false,
      },
      [bucket.getUrn()],
    );
    const req = new AnalyzeStackRequest();
    req.setResourcesList([bucket, block]);
    const res = await call<AnalyzeStackRequest, AnalyzeResponse>(client.analyzeStack, req);
    const publicAccess = res.getDiagnosticsList().filter((d) => d.getPolicyname() === "s3-public-access-blocked");
    expect(publicAccess).toHaveLength(1);
    expect(publicAccess[0].getUrn()).toBe(bucket.getUrn());
    expect(publicAccess[0].getMessage()).toMatch(/leaves restrictPublicBuckets off/);
  });
});
