import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../plan/formats/markdown";
import { mermaidId, mermaidLabel, renderMermaid } from "../../plan/formats/mermaid";
import { topologyOf } from "../../plan/formats/topology";
import type { PlanDocument, PlanResource } from "../../plan/offlinePlan";
import { planCommand } from "../../scripts/commands/plan";
import { runInProcess } from "../harness/cli";
import { planResource } from "../harness/planFixtures";
import { exampleStacks } from "../../plan/stackFiles";

/**
 * `npm run plan -- --format markdown|mermaid`: what a reviewer reads about a stack. Checked on a synthetic plan
 * shaped like a full Docker stack (servers, layouts, outputs), and through the command on every example stack.
 */

/** A resource of the synthetic dev plan; component resources (stellaops:*) are not custom. */
function r(
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  extra: Partial<PlanResource> = {},
): PlanResource {
  return planResource("dev", type, name, inputs, { custom: !type.startsWith("stellaops:"), ...extra });
}
const DIGEST = `sha256:${"cd".repeat(32)}`;

function dockerPlan(): PlanDocument {
  const pg = r("stellaops:postgres:DockerServer", "postgres");
  const pgImage = r(
    "docker:index/remoteImage:RemoteImage",
    "postgres-image",
    { name: `postgres:18.1@${DIGEST}` },
    { parent: pg.urn },
  );
  const pgVolume = r(
    "docker:index/volume:Volume",
    "postgres-data",
    { name: "stellaops-dev-postgres-data" },
    { parent: pg.urn },
  );
  pgVolume.options.protect = true;
  pgVolume.options.retainOnDelete = true;
  const pgContainer = r(
    "docker:index/container:Container",
    "postgres-server",
    {
      name: "stellaops-dev-postgres",
      image: DIGEST,
      ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1" }],
      envs: "[secret]",
    },
    { parent: pg.urn, dependencies: [pgImage.urn, pgVolume.urn] },
  );
  const valkey = r("stellaops:valkey:DockerServer", "valkey");
  const valkeyContainer = r(
    "docker:index/container:Container",
    "valkey-server",
    { name: "stellaops-dev-valkey", image: "valkey/valkey:9.0.1" },
    { parent: valkey.urn },
  );
  const store = r("stellaops:objectStore:Buckets", "buckets");
  const bucketA = r(
    "aws:s3/bucket:Bucket",
    "buckets-scannerArtifacts",
    { bucket: "scanner-artifacts" },
    { parent: store.urn },
  );
  const bucketB = r("aws:s3/bucket:Bucket", "buckets-evidence", { bucket: "evidence-locker" }, { parent: store.urn });
  return {
    project: "stellaops-infra",
    stack: "dev",
    resources: [
      r("pulumi:providers:docker", "docker", { host: "unix:///var/run/docker.sock" }),
      r("docker:index/network:Network", "network", { name: "stellaops-dev" }),
      pg,
      pgImage,
      pgVolume,
      pgContainer,
      valkey,
      valkeyContainer,
      store,
      bucketA,
      bucketB,
    ],
    outputs: {
      profile: "docker",
      environment: "dev",
      services: {
        scanner: {
          postgres: {
            host: "postgres",
            port: 5432,
            database: "stellaops",
            username: "scanner",
            password: "[secret]",
            connectionString: "[secret]",
          },
          valkey: {
            host: "valkey",
            port: 6379,
            user: "stellaops",
            password: "[secret]",
            tls: false,
            connectionString: "[secret]",
          },
          objectStore: {
            endpoint: "http://rustfs:8080",
            region: "us-east-1",
            pathStyle: true,
            buckets: { scannerArtifacts: "scanner-artifacts", evidence: "evidence-locker" },
            accessKey: "[secret]",
            secretKey: "[secret]",
          },
        },
        "evidence-locker": {
          postgres: { host: "postgres", port: 5432, database: "stellaops", username: 'ev"il|name' },
        },
      },
    },
  };
}

describe("topologyOf", () => {
  it("finds one server per area, how it runs, and its endpoint from the outputs", () => {
    const t = topologyOf(dockerPlan());
    expect(t.profile).toBe("docker");
    expect(t.platform).toBe("Docker host unix:///var/run/docker.sock, network stellaops-dev");
    expect(t.servers.map((s) => s.area)).toEqual(["postgres", "valkey", "objectStore"]);
    const postgres = t.servers[0];
    expect(postgres.runsAs).toEqual([`container stellaops-dev-postgres (postgres:18.1@${DIGEST})`]);
    expect(postgres.endpoint).toBe("postgres:5432");
    expect(t.servers[2]).toMatchObject({ runsAs: ["Amazon S3, 2 bucket(s)"], endpoint: "http://rustfs:8080" });
  });

  it("lists each StellaOps service with what it uses on each server", () => {
    const t = topologyOf(dockerPlan());
    const scanner = t.consumers.find((c) => c.id === "scanner");
    expect(scanner?.displayName).toBe("Scanner");
    expect(scanner?.uses).toEqual([
      { area: "postgres", detail: "stellaops as scanner" },
      { area: "valkey", detail: "user stellaops" },
      { area: "objectStore", detail: "scanner-artifacts, evidence-locker" },
    ]);
    expect(t.consumers.find((c) => c.id === "evidence-locker")?.displayName).toBe("Evidence Locker");
  });

  it("names the S3 endpoint buckets are created through, when it is not Amazon S3", () => {
    const plan = dockerPlan();
    const provider = r("pulumi:providers:aws", "buckets-provider", {
      endpoints: JSON.stringify([{ s3: "http://127.0.0.1:8080" }]),
    });
    plan.resources.push(provider);
    for (const b of plan.resources.filter((x) => x.type === "aws:s3/bucket:Bucket")) b.provider = `${provider.urn}::id`;
    expect(topologyOf(plan).servers[2].runsAs).toEqual(["S3 API at http://127.0.0.1:8080, 2 bucket(s)"]);
  });

  it("shows servers that only the outputs know (external profile) as existing servers", () => {
    const plan: PlanDocument = {
      project: "stellaops-infra",
      stack: "external",
      resources: [],
      outputs: {
        profile: "external",
        services: {
          scanner: { postgres: { host: "db.internal", port: 5432, database: "stellaops", username: "scanner" } },
        },
      },
    };
    expect(topologyOf(plan).servers).toEqual([
      {
        area: "postgres",
        title: "PostgreSQL",
        runsAs: ["existing server"],
        endpoint: "db.internal:5432",
        resourceCount: 0,
      },
    ]);
  });
});

describe("--format mermaid", () => {
  it("draws servers inside the platform and an edge from each service to each server it uses", () => {
    const text = renderMermaid(dockerPlan());
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("flowchart LR");
    expect(text).toContain('subgraph platform["Docker host unix:///var/run/docker.sock, network stellaops-dev"]');
    expect(text).toMatch(/srv_postgres\[\("PostgreSQL<br\/>container stellaops-dev-postgres/);
    const edges = lines.filter((l) => l.includes("-->")).map((l) => l.trim());
    expect(edges).toEqual([
      'svc_evidence_locker -->|"stellaops as ev#quot;il#124;name"| srv_postgres',
      'svc_scanner -->|"stellaops as scanner"| srv_postgres',
      'svc_scanner -->|"user stellaops"| srv_valkey',
      'svc_scanner -->|"scanner-artifacts, evidence-locker"| srv_objectStore',
    ]);
  });

  it("escapes labels and ids so no service or bucket name can break the diagram", () => {
    expect(mermaidLabel(['a "b" <c>|', "d"])).toBe('"a #quot;b#quot; #lt;c#gt;#124;<br/>d"');
    expect(mermaidId("svc", "evidence-locker")).toBe("svc_evidence_locker");
    // Every label is one quoted string: an even number of quotes on every line.
    for (const line of renderMermaid(dockerPlan()).split("\n"))
      expect((line.match(/"/g) ?? []).length % 2, line).toBe(0);
  });

  it("says so when a plan has no servers", () => {
    const text = renderMermaid({ project: "p", stack: "s", resources: [], outputs: {} });
    expect(text).toContain('empty["s: no servers in this plan"]');
  });
});

describe("--format markdown", () => {
  const text = renderMarkdown(dockerPlan());

  it("summarises servers, who uses them, resources by area and what is protected", () => {
    expect(text).toMatch(/^## Offline plan: stellaops-infra \/ dev\n/);
    expect(text).toContain("| PostgreSQL | container stellaops-dev-postgres (postgres:18.1@sha256:");
    expect(text).toContain("| Scanner | stellaops as scanner | user stellaops | scanner-artifacts, evidence-locker |");
    expect(text).toContain("#### PostgreSQL (3)");
    expect(text).toContain("`port 127.0.0.1:5432→5432`");
    expect(text).toMatch(/### Protected resources\n\n- `docker:index\/volume:Volume` `postgres-data`\n/);
  });

  it("keeps secrets redacted and escapes table cells", () => {
    expect(text).toContain('"password": "[secret]"');
    expect(text).toContain('| Evidence Locker | stellaops as ev"il\\|name |');
  });
});

describe("npm run plan --format", () => {
  const plan = (args: string[]) => runInProcess("plan", planCommand, args);

  it.each(exampleStacks())("renders %s as Markdown and as a Mermaid diagram", async (stack) => {
    const md = await plan(["--stack", stack, "--format", "markdown"]);
    expect(md.stderr).toBe("");
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(new RegExp(`^## Offline plan: stellaops-infra / ${stack}\\n`));
    expect(md.stdout).not.toContain("offline-plan-secret-placeholder");
    const mermaid = await plan(["--stack", stack, "--format", "mermaid"]);
    expect(mermaid.status).toBe(0);
    expect(mermaid.stdout.split("\n")[0]).toBe("flowchart LR");
  });

  it("rejects an unknown format, naming the allowed ones", async () => {
    const { status, stderr } = await plan(["--stack", "dev", "--format", "yaml"]);
    expect(status).toBe(2);
    expect(stderr).toContain("json, markdown, mermaid");
  });
});
