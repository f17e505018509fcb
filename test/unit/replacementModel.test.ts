import { describe, expect, it } from "vitest";
import { keepsData, dataBearingUrns } from "../../plan/dataSafety";
import { UPDATE_HAZARDS } from "../../plan/hazards";
import { cnpgImageRelease } from "../../plan/imageDistribution";
import { listedRules, replacementRule } from "../../plan/model";
import { majorVersion, predictChange, type Change, type ChangedResource } from "../../plan/predict";
import { planResource } from "../harness/planFixtures";

/**
 * The replacement model (plan/): per resource type, the inputs that force a new resource, and the update
 * hazards; and the prediction built from it. Whole example stacks are covered by the lifecycle tier.
 */

function changed(type: string, inputs: Change[], after: Record<string, unknown> = {}): ChangedResource {
  return { type, custom: true, inputs, options: [], after, replaceOnChanges: [] };
}
const change = (path: string, before: unknown, after: unknown): Change => ({ path, before, after });

describe("replacement model", () => {
  it("cites an upstream repository, ref, file and symbol for every rule and hazard", () => {
    for (const { source } of [...listedRules(), ...UPDATE_HAZARDS]) {
      expect(source.repository).toMatch(/^[\w-]+\/[\w.-]+$/);
      expect(source.ref).not.toBe("");
      // Provider sources, or the image maintainers' own documentation of their tags.
      expect(source.file).toMatch(/\.go$|^README\.md$/);
      expect(source.symbol).not.toBe("");
    }
  });

  it("models every Kubernetes object through the provider's own table, and nothing else by guess", () => {
    expect(replacementRule("kubernetes:postgresql.cnpg.io/v1:Cluster")?.forceNew).toEqual([
      "metadata.name",
      "metadata.namespace",
    ]);
    expect(replacementRule("kubernetes:batch/v1:Job")?.forceNew).toContain("spec.template");
    expect(replacementRule("aws:lambda/function:Function")).toBeUndefined();
  });
});

describe("predictChange", () => {
  it("says which input forces a replacement (RDS kmsKeyId) and that a resize updates in place", () => {
    const rds = "aws:rds/instance:Instance";
    const kms = predictChange(changed(rds, [change("kmsKeyId", "arn:a", "arn:b")]));
    expect(kms.verdict).toBe("replace");
    expect(kms.forcedBy).toEqual([{ path: "kmsKeyId", reason: "`kmsKeyId` forces a new aws:rds/instance:Instance" }]);
    expect(kms.source?.file).toBe("internal/service/rds/instance.go");
    const resize = predictChange(changed(rds, [change("instanceClass", "db.t4g.medium", "db.r6g.large")]));
    expect(resize).toMatchObject({ verdict: "update", forcedBy: [], hazards: [] });
  });

  it("matches nested paths without indices, and changes above a forcing path", () => {
    const container = "docker:index/container:Container";
    expect(predictChange(changed(container, [change("ports[1]", undefined, { internal: 1 })])).verdict).toBe("replace");
    expect(predictChange(changed(container, [change("memory", 512, 1024)])).verdict).toBe("update");
    // The provider records a healthcheck change without applying it: said, not hidden.
    const health = predictChange(changed(container, [change("healthcheck.interval", "10s", "5s")]));
    expect(health.verdict).toBe("update");
    expect(health.caveats.join()).toContain("running container keeps the old one");
  });

  it("replaces an ElastiCache group on an engine downgrade only", () => {
    const group = "aws:elasticache/replicationGroup:ReplicationGroup";
    expect(predictChange(changed(group, [change("engineVersion", "8.0", "8.1")])).verdict).toBe("update");
    expect(predictChange(changed(group, [change("engineVersion", "8.1", "7.2")])).verdict).toBe("replace");
  });

  it("flags the updates that fail on a real server: schema owner, database rename, CREATEROLE roles, RDS majors", () => {
    const owner = predictChange(changed("postgresql:index/schema:Schema", [change("owner", "a", "b")]));
    expect(owner.verdict).toBe("hazard");
    expect(owner.hazards.map((h) => h.id)).toEqual(["schema-owner-change"]);
    expect(owner.hazards[0].procedure).toBe("docs/operations.md#move-a-schema-to-another-service");

    const rename = predictChange(changed("postgresql:index/database:Database", [change("name", "a", "b")]));
    expect(rename.hazards.map((h) => h.id)).toEqual(["database-rename"]);
    const schemaMoves = predictChange(changed("postgresql:index/schema:Schema", [change("database", "a", "b")]));
    expect(schemaMoves.verdict).toBe("replace");

    const role = "postgresql:index/role:Role";
    const limit = [change("connectionLimit", 20, 30)];
    expect(predictChange(changed(role, limit, { createRole: true })).verdict).toBe("hazard");
    expect(predictChange(changed(role, limit, { createRole: false })).verdict).toBe("update");

    const rds = "aws:rds/instance:Instance";
    const major = [change("engineVersion", "17.5", "18.1")];
    expect(predictChange(changed(rds, major, { allowMajorVersionUpgrade: false })).verdict).toBe("hazard");
    expect(
      predictChange(changed(rds, [change("engineVersion", "18.1", "18.2")], { allowMajorVersionUpgrade: false }))
        .verdict,
    ).toBe("update");
  });

  it("flags a CloudNativePG image moving to another Debian release (glibc, collations), not a rebuild on the same one", () => {
    const cluster = "kubernetes:postgresql.cnpg.io/v1:Cluster";
    const image = (before: string, after: string) =>
      predictChange(changed(cluster, [change("spec.imageName", before, after)]));
    const moved = image(
      "ghcr.io/cloudnative-pg/postgresql:18.1",
      "ghcr.io/cloudnative-pg/postgresql:18.1-standard-trixie",
    );
    expect(moved.verdict).toBe("hazard");
    expect(moved.hazards.map((h) => h.id)).toEqual(["postgres-image-debian-release-change"]);
    expect(moved.hazards[0].reason).toContain("glibc");
    expect(moved.hazards[0].procedure).toBe("docs/operations.md#move-postgresql-to-another-debian-release");
    const digest = `@sha256:${"a".repeat(64)}`;
    expect(
      image(`m/postgresql:18.1-standard-bookworm${digest}`, `m/postgresql:18.2-minimal-trixie${digest}`).verdict,
    ).toBe("hazard");
    // Same release: a minor bump, a weekly rebuild (new digest), or standard ↔ minimal.
    expect(image("p:18.1-standard-trixie", "p:18.2-standard-trixie").verdict).toBe("update");
    expect(image(`p:18.1-standard-trixie${digest}`, `p:18.1-minimal-trixie@sha256:${"b".repeat(64)}`).verdict).toBe(
      "update",
    );
    expect(image("p:18.1", "p:18.2").verdict).toBe("update");
  });

  it("reads the Debian release from CloudNativePG tags, the bare MM.mm tags being bullseye", () => {
    expect(cnpgImageRelease("ghcr.io/cloudnative-pg/postgresql:18.1")).toBe("bullseye");
    expect(cnpgImageRelease("ghcr.io/cloudnative-pg/postgresql:18")).toBe("bullseye");
    expect(cnpgImageRelease("registry:5000/cnpg/postgresql:18.1-202511170807-minimal-trixie@sha256:ab")).toBe("trixie");
    expect(cnpgImageRelease("ghcr.io/cloudnative-pg/postgresql:17.6-system-bookworm")).toBe("bookworm");
    expect(cnpgImageRelease(`ghcr.io/cloudnative-pg/postgresql@sha256:${"a".repeat(64)}`)).toBeUndefined();
    expect(cnpgImageRelease("registry:5000/postgresql")).toBeUndefined();
  });

  it("says unknown for a type the model does not know, and ignores ignoreChanges and component resources", () => {
    const unknown = predictChange(changed("aws:lambda/function:Function", [change("runtime", "a", "b")]));
    expect(unknown.verdict).toBe("unknown");
    expect(unknown.caveats[0]).toContain("not in the replacement model");
    const ignored = predictChange(
      changed("docker:index/volume:Volume", [{ ...change("labels", [], [1]), ignored: true }]),
    );
    expect(ignored.verdict).toBe("update");
    expect(
      predictChange({ ...changed("stellaops:postgres:Database", [change("x", 1, 2)]), custom: false }).verdict,
    ).toBe("update");
  });

  it("honours a resource's replaceOnChanges option", () => {
    const job = { ...changed("aws:lambda/function:Function", [change("a.b", 1, 2)]), replaceOnChanges: ["a"] };
    expect(predictChange(job).verdict).toBe("replace");
  });

  it("reads major versions from versions and image references", () => {
    expect(majorVersion("18.1")).toBe(18);
    expect(majorVersion("postgres:17.6@sha256:" + "a".repeat(64))).toBe(17);
    expect(majorVersion("registry.local:5000/stellaops/postgres:18.1")).toBe(18);
    expect(majorVersion("latest")).toBeUndefined();
  });
});

describe("data safety", () => {
  const schema = planResource("dev", "postgresql:index/schema:Schema", "s", { owner: "stellaops_scanner" });
  const owner = planResource("dev", "postgresql:index/role:Role", "owner", { name: "stellaops_scanner" });
  const reader = planResource("dev", "postgresql:index/role:Role", "reader", { name: "stellaops_reader" });

  it("counts schemas, the roles that own them and namespaces holding data as data-bearing", () => {
    const ns = planResource("k8s", "kubernetes:core/v1:Namespace", "ns", { metadata: { name: "stellaops" } });
    const pvc = planResource("k8s", "kubernetes:core/v1:PersistentVolumeClaim", "pvc", {
      metadata: { name: "d", namespace: "stellaops" },
    });
    const empty = planResource("k8s", "kubernetes:core/v1:Namespace", "empty", { metadata: { name: "other" } });
    const urns = dataBearingUrns([schema, owner, reader, ns, pvc, empty]);
    expect([...urns].sort()).toEqual([schema.urn, owner.urn, ns.urn, pvc.urn].sort());
  });

  it("says whether a removal keeps the data: protect, retainOnDelete, or deletedWith a server that is kept", () => {
    const server = planResource(
      "dev",
      "docker:index/container:Container",
      "server",
      {},
      {
        options: { retainOnDelete: true },
      },
    );
    const inside = { ...schema, options: { ...schema.options, deletedWith: server.urn } };
    expect(keepsData(inside, [inside])).toEqual({ fate: "deleted", keepsData: false });
    expect(keepsData(inside, [inside, server])).toEqual({ fate: "with-server", keepsData: true });
    const retained = { ...schema, options: { ...schema.options, retainOnDelete: true } };
    expect(keepsData(retained, [retained])).toEqual({ fate: "retained", keepsData: true });
  });
});

describe("layout script hazards (the Kubernetes layout Job's SQL)", () => {
  const script = (db: string, owner: string) =>
    `\\connect ${db}\nCREATE SCHEMA IF NOT EXISTS "cache" AUTHORIZATION ${owner};\nALTER SCHEMA "cache" OWNER TO ${owner};\n`;

  it("reports a schema changing owner and a renamed database hidden in changed script text", () => {
    const configMap = "kubernetes:core/v1:ConfigMap";
    const moved = predictChange(
      changed(configMap, [change('data."layout.sql"', script("stellaops", '"a"'), script("stellaops", '"b"'))]),
    );
    expect(moved.hazards.map((h) => h.id)).toEqual(["schema-owner-change"]);
    expect(moved.hazards[0].reason).toContain('stellaops."cache" ("a" → "b")');
    const renamed = predictChange(
      changed(configMap, [change('data."layout.sql"', script("stellaops", '"a"'), script("stellaops_main", '"a"'))]),
    );
    expect(renamed.hazards.map((h) => h.id)).toEqual(["database-rename"]);
    const same = predictChange(
      changed(configMap, [
        change('data."layout.sql"', script("stellaops", '"a"'), `${script("stellaops", '"a"')}-- x\n`),
      ]),
    );
    expect(same.hazards).toEqual([]);
  });
});
