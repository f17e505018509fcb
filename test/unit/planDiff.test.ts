import { describe, expect, it } from "vitest";
import { diffPlans, valueChanges } from "../../plan/diff/diffPlans";
import { commentMarker, renderDiffMarkdown } from "../../plan/diff/markdown";
import type { PlanDocument, PlanResource } from "../../plan/offlinePlan";
import { planResource } from "../harness/planFixtures";

/**
 * `npm run plan:diff`: what a pull request changes in a stack's desired state, as a PR comment. The diff itself
 * on synthetic plans (the command end to end: test/cli/planDiff.test.ts).
 */

function r(type: string, name: string, inputs: Record<string, unknown> = {}, protect = false): PlanResource {
  return planResource("dev", type, name, inputs, { options: { protect } });
}
const plan = (resources: PlanResource[], outputs: Record<string, unknown> = {}): PlanDocument => ({
  project: "stellaops-infra",
  stack: "dev",
  resources,
  outputs,
});

describe("valueChanges", () => {
  it("reports leaf paths through objects and arrays, and nothing for equal values", () => {
    expect(valueChanges({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toEqual([
      { path: "b.c[1]", before: 2, after: 3 },
    ]);
    expect(valueChanges({ ports: [{ ip: "127.0.0.1" }] }, { ports: [{ ip: "127.0.0.1" }, { ip: "0.0.0.0" }] })).toEqual(
      [{ path: "ports[1]", before: undefined, after: { ip: "0.0.0.0" } }],
    );
    expect(valueChanges({ x: [1] }, { x: [1] })).toEqual([]);
  });
  it("compares JSON text by content (provider inputs, policies), and quotes odd keys", () => {
    const before = {
      defaultTags: JSON.stringify({ tags: { team: "a" } }),
      labels: { "app.kubernetes.io/part-of": "x" },
    };
    const after = {
      defaultTags: JSON.stringify({ tags: { team: "b" } }),
      labels: { "app.kubernetes.io/part-of": "y" },
    };
    expect(valueChanges(before, after)).toEqual([
      { path: "defaultTags.tags.team", before: "a", after: "b" },
      { path: 'labels."app.kubernetes.io/part-of"', before: "x", after: "y" },
    ]);
  });
});

describe("diffPlans", () => {
  const network = r("docker:index/network:Network", "network", { name: "stellaops-dev" });
  const volume = r("docker:index/volume:Volume", "postgres-data", { name: "pg" }, true);
  const container = r("docker:index/container:Container", "postgres-server", {
    envs: "[secret]",
    ports: [{ ip: "127.0.0.1" }],
  });

  it("sorts resources into added, removed, changed and unchanged by URN, with changed inputs and options", () => {
    const nats = r("docker:index/container:Container", "nats-server");
    const changedContainer = { ...container, inputs: { envs: "[secret]", ports: [{ ip: "0.0.0.0" }] } };
    const unprotected = { ...volume, options: { ...volume.options, protect: false } };
    const diff = diffPlans(plan([network, volume, container]), plan([network, unprotected, changedContainer, nats]));
    expect(diff.added.map((x) => x.name)).toEqual(["nats-server"]);
    expect(diff.removed).toEqual([]);
    expect(diff.unchanged).toBe(1);
    expect(diff.changed).toEqual([
      {
        urn: volume.urn,
        type: volume.type,
        name: "postgres-data",
        inputs: [],
        options: [{ path: "protect", before: true, after: false }],
        stateful: true,
        // Options only: nothing reaches the provider.
        prediction: { verdict: "update", forcedBy: [], hazards: [], caveats: [] },
      },
      {
        urn: container.urn,
        type: container.type,
        name: "postgres-server",
        inputs: [{ path: "ports[0].ip", before: "127.0.0.1", after: "0.0.0.0" }],
        options: [],
        stateful: false,
        prediction: expect.objectContaining({
          verdict: "replace",
          forcedBy: [{ path: "ports[0].ip", reason: "`ports` forces a new docker:index/container:Container" }],
        }) as unknown,
      },
    ]);
  });

  it("marks input changes the resource's ignoreChanges covers", () => {
    const labelled = { ...volume, options: { ...volume.options, ignoreChanges: ["labels"] } };
    const relabelled = { ...labelled, inputs: { name: "pg", labels: [{ label: "team", value: "x" }] } };
    const diff = diffPlans(plan([labelled]), plan([relabelled]));
    expect(diff.changed[0].inputs).toEqual([
      { path: "labels", before: undefined, after: [{ label: "team", value: "x" }], ignored: true },
    ]);
  });

  it("treats a missing base as everything added, and reports changed outputs", () => {
    const diff = diffPlans(undefined, plan([network], { profile: "docker" }));
    expect(diff.added).toEqual([network]);
    expect(diff.outputs).toEqual([{ path: "profile", before: undefined, after: "docker" }]);
  });
});

describe("renderDiffMarkdown", () => {
  const heading = { base: "Base `main` (abc1234)", head: "this pull request" };
  const volume = r("docker:index/volume:Volume", "postgres-data", { name: "pg" }, true);

  it("starts with the stack's comment marker and says when nothing changes", () => {
    const text = renderDiffMarkdown(diffPlans(plan([volume]), plan([volume])), heading);
    expect(text.split("\n")[0]).toBe(commentMarker("dev"));
    expect(text).toContain("No change to the desired state of `dev` (1 resource compared).");
  });

  it("warns when a data-bearing resource is removed or its inputs change", () => {
    const text = renderDiffMarkdown(diffPlans(plan([volume]), plan([])), heading);
    expect(text).toContain("**+0 added, −1 removed, ~0 changed**, 0 unchanged.");
    expect(text).toMatch(
      /> \[!WARNING\]\n> Data-bearing resources .*\n> - removes `docker:index\/volume:Volume` `postgres-data`/,
    );
    expect(text).toContain("| `postgres-data` | `docker:index/volume:Volume` | 🔒 protect, ⚠️ holds data |");
  });

  it("does not warn for a data-bearing resource whose only change is ignored, but does when protect goes off", () => {
    const labelled = { ...volume, options: { ...volume.options, ignoreChanges: ["labels"] } };
    const relabelled = { ...labelled, inputs: { name: "pg", labels: [] } };
    const quiet = renderDiffMarkdown(diffPlans(plan([labelled]), plan([relabelled])), heading);
    expect(quiet).not.toContain("[!WARNING]");
    expect(quiet).toContain("`labels` (ignoreChanges: not applied to the existing resource)");
    const unprotected = { ...volume, options: { ...volume.options, protect: false } };
    const loud = renderDiffMarkdown(diffPlans(plan([volume]), plan([unprotected])), heading);
    expect(loud).toMatch(/> - turns off protect on `docker:index\/volume:Volume` `postgres-data`/);
  });

  it("puts predicted replacements of data, deletions of data and hazards at the top, loudly", () => {
    const rds = r("aws:rds/instance:Instance", "postgres-instance", {
      kmsKeyId: "arn:a",
      instanceClass: "db.t4g.medium",
    });
    const rekeyed = { ...rds, inputs: { kmsKeyId: "arn:b", instanceClass: "db.t4g.medium" } };
    const schema = r("postgresql:index/schema:Schema", "schema-scanner", { name: "scanner", owner: "a" });
    const moved = { ...schema, inputs: { name: "scanner", owner: "b" } };
    const bucket = r("aws:s3/bucket:Bucket", "buckets-replay", { bucket: "replay" });
    const text = renderDiffMarkdown(diffPlans(plan([rds, schema, bucket]), plan([rekeyed, moved])), heading);
    const caution = text.split("> [!CAUTION]")[1]?.split("\n\n")[0] ?? "";
    expect(caution).toContain(
      "> - replaces `aws:rds/instance:Instance` `postgres-instance`, which holds data: `kmsKeyId` forces a new aws:rds/instance:Instance",
    );
    expect(caution).toContain(
      "> - deletes `aws:s3/bucket:Bucket` `buckets-replay` and its data (deleted with its data)",
    );
    expect(caution).toMatch(
      /> - hazard on `postgresql:index\/schema:Schema` `schema-scanner`: `ALTER SCHEMA … OWNER TO`.*Procedure: docs\/operations.md#move-a-schema-to-another-service/,
    );
    expect(text.indexOf("[!CAUTION]")).toBeLessThan(text.indexOf("#### Removed"));
    expect(text).toContain("Prediction: **replace**: `kmsKeyId` (`kmsKeyId` forces a new aws:rds/instance:Instance).");
    expect(text).toContain("| `buckets-replay` | `aws:s3/bucket:Bucket` | ⚠️ holds data | deleted with its data |");
  });

  it("stays quiet for updates, says so for a retained removal, and names types it cannot predict", () => {
    const rds = r("aws:rds/instance:Instance", "postgres-instance", { instanceClass: "db.t4g.medium" });
    const resized = { ...rds, inputs: { instanceClass: "db.r6g.large" } };
    const bucket = planResource("dev", "aws:s3/bucket:Bucket", "b", {}, { options: { retainOnDelete: true } });
    const fn = r("aws:lambda/function:Function", "fn", { runtime: "a" });
    const text = renderDiffMarkdown(
      diffPlans(plan([rds, bucket, fn]), plan([resized, { ...fn, inputs: { runtime: "b" } }])),
      heading,
    );
    expect(text).not.toContain("[!CAUTION]");
    expect(text).toContain("Prediction: update in place.");
    expect(text).toContain(
      "| `b` | `aws:s3/bucket:Bucket` | ⚠️ holds data | retainOnDelete: left in place, data kept |",
    );
    expect(text).toMatch(/> \[!NOTE\]\n> Update or replace unknown for 1 changed resource .*`fn`/);
  });

  it("follows replacements to the resources that read their outputs (a new image replaces the container)", () => {
    const image = r("docker:index/remoteImage:RemoteImage", "postgres-image", { name: "postgres:18.1" });
    const container = planResource(
      "dev",
      "docker:index/container:Container",
      "postgres-server",
      { image: "sha" },
      {
        propertyDependencies: { image: [image.urn] },
      },
    );
    const volume = planResource(
      "dev",
      "docker:index/volume:Volume",
      "postgres-data",
      { name: "pg" },
      {
        propertyDependencies: { labels: [image.urn] },
      },
    );
    const bumped = { ...image, inputs: { name: "postgres:18.2" } };
    const diff = diffPlans(plan([image, container, volume]), plan([bumped, container, volume]));
    expect(diff.knockOn.map((k) => [k.name, k.verdict, k.inputs, k.from])).toEqual([
      ["postgres-server", "replace", ["image"], ["postgres-image"]],
      ["postgres-data", "replace", ["labels"], ["postgres-image"]],
    ]);
    const text = renderDiffMarkdown(diff, heading);
    expect(text).toContain("`postgres-server` (replace: `image` ← `postgres-image`)");
    expect(text).toContain(
      "> - replaces `docker:index/volume:Volume` `postgres-data`, which holds data: `labels` reads replaced `postgres-image`",
    );
  });

  it("shows secrets only as [secret] and escapes what would break a table", () => {
    const before = r("docker:index/container:Container", "c", { envs: "[secret]", command: ["sh", "-c", "a | b"] });
    const after = { ...before, inputs: { envs: "[secret]", command: ["sh", "-c", "a | c"] } };
    const text = renderDiffMarkdown(diffPlans(plan([before]), plan([after])), heading);
    expect(text).toContain("| `command[2]` | `a \\| b` | `a \\| c` |");
    expect(text).not.toContain("envs");
  });

  it("cuts long diffs to fit a GitHub comment, saying how to see all of it", () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      r("docker:index/container:Container", `c${i}`, { image: `img:${i}` }),
    );
    const text = renderDiffMarkdown(diffPlans(plan([]), plan(many)), heading, 5_000);
    expect(text.length).toBeLessThan(5_000 + 400);
    expect(text).toContain("The rest of the diff is cut to fit a comment");
  });
});
