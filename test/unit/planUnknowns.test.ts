import { beforeAll, describe, expect, it } from "vitest";
import { diffPlans } from "../../plan/diff/diffPlans";
import { renderMarkdown } from "../../plan/formats/markdown";
import { renderMermaid } from "../../plan/formats/mermaid";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { UNKNOWN } from "../../plan/unknown";
import { DEFAULT_CONTEXT, type AuditResource } from "../../policy/model";
import { auditResourcesFromPlan, evaluate } from "../../policy/evaluate";
import { T } from "../../policy/resourceTypes";
import { RULES } from "../../policy/rules";
import { s3TlsOnly } from "../../policy/rules/encryption";
import { imagesPinnedByDigest, sealedImagesFromMirror } from "../../policy/rules/images";
import { PLAN_UNKNOWN } from "../../policy/values";
import { planResource } from "../harness/planFixtures";

/**
 * The offline plan shows what `pulumi preview` of a new stack shows: a value a provider computes (ids, ARNs,
 * endpoints, generated passwords, image ids) and everything built from it is "[unknown]", never a mock's
 * placeholder; values from config stay visible; readers of the plan neither invent a change between two unknowns
 * nor pass a policy on one.
 */

let prod: PlanDocument;
let dev: PlanDocument;

beforeAll(async () => {
  prod = await planStack("prod");
  dev = await planStack("dev");
});

function one(plan: PlanDocument, type: string, name?: string): PlanResource {
  const found = plan.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0];
}

/** The mocks' placeholders: image ids, the fake account, RDS/ElastiCache hostnames, `<name>-id` resource ids. */
const PLACEHOLDERS = [/sha256:0{64}/, /c0ffee000000/, /abc123\.euw1/, /:123456789012:(?!key\/)/, /"[a-z0-9-]+-sg-id"/];

describe("the offline plan marks computed values unknown", () => {
  it("prints no mock placeholder in any format", () => {
    for (const plan of [prod, dev]) {
      const texts = [JSON.stringify(plan, null, 2), renderMarkdown(plan), renderMermaid(plan)];
      for (const text of texts) for (const placeholder of PLACEHOLDERS) expect(text).not.toMatch(placeholder);
    }
  });

  it("shows a computed input as unknown and keeps the resource it comes from as a dependency", () => {
    const rds = one(prod, "aws:rds/instance:Instance");
    const provider = one(prod, "pulumi:providers:postgresql");
    expect(provider.inputs["host"]).toBe(UNKNOWN);
    expect(provider.propertyDependencies?.["host"]).toEqual([rds.urn]);

    const image = one(dev, "docker:index/remoteImage:RemoteImage", "valkey-image");
    const container = one(dev, "docker:index/container:Container", "valkey-server");
    expect(container.inputs["image"]).toBe(UNKNOWN);
    expect(container.propertyDependencies?.["image"]).toEqual([image.urn]);
  });

  it("keeps config values and inputs the program sets visible", () => {
    const rds = one(prod, "aws:rds/instance:Instance");
    expect(rds.inputs["instanceClass"]).toBe("db.t4g.medium");
    expect(rds.inputs["identifier"]).toBe("stellaops-prod-postgres");
    expect(one(dev, "docker:index/remoteImage:RemoteImage", "valkey-image").inputs["name"]).toMatch(/^valkey\/valkey:/);
    // Built from the bucket names alone (their ARNs follow from them), so the policy can judge them.
    const tlsOnly = prod.resources.filter((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy");
    expect(tlsOnly.length).toBeGreaterThan(0);
    for (const policy of tlsOnly) expect(String(policy.inputs["policy"])).toMatch(/"arn:aws:s3:::acme-prod-/);
  });

  it("shows a stack output built from a computed value as unknown", () => {
    const text = JSON.stringify(prod.outputs);
    expect(text).toContain(UNKNOWN);
    expect(renderMarkdown(prod)).toContain(`${UNKNOWN}:5432`);
  });
});

describe("readers of the plan", () => {
  it("plan:diff reports no change between two unknowns, and a change from a known value to an unknown", () => {
    const before = {
      project: "p",
      stack: "s",
      outputs: {},
      resources: [planResource("s", "t:m:R", "a", { x: UNKNOWN })],
    };
    expect(diffPlans(before, structuredClone(before)).changed).toEqual([]);
    const known = { ...before, resources: [planResource("s", "t:m:R", "a", { x: "sha256:abc" })] };
    expect(diffPlans(known, before).changed.map((c) => c.inputs.map((i) => i.path))).toEqual([["x"]]);
  });

  it("policy: the pack's copy of the marker is the plan's", () => {
    expect(PLAN_UNKNOWN).toBe(UNKNOWN);
  });

  it("policy: every example plan still judges to no mandatory finding", () => {
    for (const plan of [prod, dev]) {
      const findings = evaluate(RULES, auditResourcesFromPlan(plan), DEFAULT_CONTEXT);
      expect(findings.filter((f) => f.level === "mandatory")).toEqual([]);
    }
  });

  it("policy: an unknown image or bucket policy is reported, never passed", () => {
    const resource = (type: string, name: string, props: Record<string, unknown>, dependencies: string[] = []) =>
      ({ urn: `urn:pulumi:s::p::${type}::${name}`, type, name, props, protect: false, dependencies }) as AuditResource;
    const sealed = { ...DEFAULT_CONTEXT, sealed: true, mirrorRegistry: "registry.local:5000/stellaops" };

    const orphan = resource(T.dockerContainer, "c", { image: UNKNOWN });
    expect(imagesPinnedByDigest.check(orphan, sealed)).toEqual([expect.stringMatching(/unknown until apply/)]);
    expect(sealedImagesFromMirror.check(orphan, sealed)).toEqual([expect.stringMatching(/unknown until apply/)]);
    // A RemoteImage's id: the RemoteImage's own name is the image, and it is judged there.
    const remote = resource(T.dockerRemoteImage, "i", { name: "registry.local:5000/stellaops/valkey:9@sha256:" });
    const fromImage = resource(T.dockerContainer, "c2", { image: UNKNOWN }, [remote.urn]);
    expect(imagesPinnedByDigest.check(fromImage, sealed)).toEqual([]);

    const bucket = resource(T.s3Bucket, "b", { bucket: "b" });
    const policy = resource(T.s3BucketPolicy, "p", { bucket: "b", policy: UNKNOWN }, [bucket.urn]);
    expect(s3TlsOnly.check([bucket, policy], DEFAULT_CONTEXT).map((f) => f.message)).toEqual([
      expect.stringMatching(/policy is unknown until apply/),
    ]);
  });
});
