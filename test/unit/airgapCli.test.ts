import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PlanDocument } from "../../plan/offlinePlan";
import { UNKNOWN } from "../../plan/unknown";
import { airgapManifestCommand } from "../../scripts/commands/airgapManifest";
import { planCommand } from "../../scripts/commands/plan";
import { npmRun, projectWithStack, runInProcess } from "../harness/cli";
import { PROJECT_ROOT } from "../../plan/stackFiles";

/**
 * The command an operator runs, `npm run --silent airgap:manifest`, checked against the offline plan of the
 * same stack (`npm run --silent plan`), the installed SDKs and the pinned CLI. The commands run in-process; the
 * table test runs the real one end to end.
 */
const manifestCommand = (args: string[]) => runInProcess("airgap:manifest", airgapManifestCommand, args);

const D1 = `sha256:${"a1".repeat(32)}`;
const D2 = `sha256:${"b2".repeat(32)}`;
const D3 = `sha256:${"c3".repeat(32)}`;
const MIRROR = "registry.local:5000/stellaops";

const scratch = mkdtempSync(join(tmpdir(), "stellaops-airgap-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A sealed Docker stack in the shape of the example airgap stack (test digests, not real ones). */
const SEALED_DOCKER = `config:
  stellaops-infra:profile: docker
  stellaops-infra:airgap:
    sealed: true
    mirrorRegistry: ${MIRROR}
  stellaops-infra:docker:
    postgres:
      image: ${MIRROR}/postgres:18.1@${D1}
    valkey:
      image: ${MIRROR}/valkey@${D2}
    objectStore:
      image: ${MIRROR}/rustfs@${D3}
`;

/** A sealed Kubernetes stack: images reach the plan inside Helm values, charts come from the OCI mirror. */
const SEALED_KUBERNETES = `config:
  stellaops-infra:profile: kubernetes
  stellaops-infra:airgap:
    sealed: true
    mirrorRegistry: ${MIRROR}
  stellaops-infra:kubernetes:
    runsInCluster: true
    postgres:
      imageName: ${MIRROR}/postgresql:18.1-standard-trixie@${D1}
    valkey:
      image: ${MIRROR}/valkey:9.0.1@${D2}
      chart:
        repository: oci://registry.local:5000/charts
        chart: valkey
        version: 0.9.4
    objectStore:
      image: ${MIRROR}/rustfs@${D3}
`;

/**
 * Image references in a plan, read independently of the manifest code: RemoteImage names and image fields (not a
 * container's image id, "[unknown]" in the plan, a local id in older ones: the RemoteImage it comes from lists it).
 */
function imagesOf(plan: PlanDocument): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, key: string) => {
    const imageId = typeof value === "string" && (value === UNKNOWN || /^sha256:/.test(value));
    if (typeof value === "string" && /^(image|imageName|\w+Image)$/.test(key) && !imageId) found.add(value);
    else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
    else if (value !== null && typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        const obj = v as Record<string, unknown> | null;
        if (/^(image|\w+Image)$/.test(k) && obj && typeof obj === "object" && typeof obj["repository"] === "string") {
          const reg = typeof obj["registry"] === "string" ? `${obj["registry"]}/` : "";
          const tag = typeof obj["tag"] === "string" && obj["tag"] ? `:${obj["tag"]}` : "";
          const digest = typeof obj["digest"] === "string" ? `@${obj["digest"]}` : "";
          found.add(`${reg}${obj["repository"]}${tag}${digest}`);
        } else visit(v, k);
      }
  };
  for (const r of plan.resources) {
    if (r.type === "docker:index/remoteImage:RemoteImage") found.add(String(r.inputs["name"]));
    visit(r.inputs, "");
  }
  return [...found].sort();
}

function chartsOf(plan: PlanDocument): string[] {
  return plan.resources
    .filter((r) => r.type.includes("helm.sh") && typeof r.inputs["chart"] === "string")
    .map((r) => `${String(r.inputs["chart"])}@${String(r.inputs["version"] ?? "")}`)
    .sort();
}

function installedPlugins(): string[] {
  return readdirSync(join(PROJECT_ROOT, "node_modules", "@pulumi"))
    .map((d) => JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", "@pulumi", d, "package.json"), "utf8")))
    .filter((p: { pulumi?: { resource?: boolean } }) => p.pulumi?.resource === true)
    .map((p: { pulumi: { name: string; version: string } }) => `${p.pulumi.name}@${p.pulumi.version}`)
    .sort();
}

interface Manifest {
  stack: string;
  sealed: boolean;
  images: { reference: string; digest?: string; configKeys: string[] }[];
  charts: { chart: string; version?: string; file?: string }[];
  plugins: { name: string; version: string; usedByStack: boolean }[];
  pulumiCli: { version: string };
  npm: { lockfile: string; sha256: string };
}

/** The manifest lists exactly the plan's images and charts, and the installed SDKs' plugins. */
async function expectManifestMatchesPlan(stack: string, dir?: string): Promise<Manifest> {
  const dirArgs = dir ? ["--dir", dir] : [];
  const planRun = await runInProcess("plan", planCommand, ["--stack", stack, ...dirArgs]);
  expect(planRun.stderr).toBe("");
  const plan = JSON.parse(planRun.stdout) as PlanDocument;
  const run = await manifestCommand(["--stack", stack, "--format", "json", ...dirArgs]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const manifest = JSON.parse(run.stdout) as Manifest;
  expect(manifest.images.map((i) => i.reference).sort()).toEqual(imagesOf(plan));
  expect(manifest.charts.map((c) => `${c.chart}@${c.version ?? ""}`).sort()).toEqual(chartsOf(plan));
  expect(manifest.plugins.map((p) => `${p.name}@${p.version}`)).toEqual(installedPlugins());
  for (const image of manifest.images) expect(image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  const sdk = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as {
    version: string;
  };
  expect(manifest.pulumiCli.version).toBe(sdk.version);
  expect(manifest.npm.lockfile).toBe("package-lock.json");
  return manifest;
}

describe("npm run airgap:manifest", () => {
  it("lists exactly the images and charts of a sealed stack's offline plan, and the SDKs' plugins", async () => {
    const dir = projectWithStack(scratch, "airgap", SEALED_DOCKER);
    const manifest = await expectManifestMatchesPlan("airgap", dir);
    expect(manifest).toMatchObject({ stack: "airgap", sealed: true });
    // Images set in the stack file are traced back to their key.
    for (const image of manifest.images.filter((i) => i.reference.startsWith(`${MIRROR}/postgres:18.1@`))) {
      expect(image.configKeys).toEqual(["stellaops-infra:docker.postgres.image"]);
    }
  });

  it("finds a Kubernetes stack's images inside Helm values and its charts from the mirror", async () => {
    const dir = projectWithStack(scratch, "airgapk8s", SEALED_KUBERNETES);
    const manifest = await expectManifestMatchesPlan("airgapk8s", dir);
    const valkey = manifest.images.find((i) => i.reference === `${MIRROR}/valkey:9.0.1@${D2}`);
    expect(valkey?.configKeys).toEqual(["stellaops-infra:kubernetes.valkey.image"]);
    expect(manifest.charts).toContainEqual(
      expect.objectContaining({
        chart: "oci://registry.local:5000/charts/valkey",
        version: "0.9.4",
        file: "charts/valkey-0.9.4.tgz",
      }),
    );
  });

  it("exits 1 naming the key when a sealed stack's image is tag-only", async () => {
    const dir = projectWithStack(
      scratch,
      "tagged",
      SEALED_DOCKER.replace(`${MIRROR}/valkey@${D2}`, `${MIRROR}/valkey:9.0.1`),
    );
    const { status, stdout, stderr } = await manifestCommand(["--stack", "tagged", "--dir", dir]);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/stellaops-infra:docker\.valkey\.image: must be pinned by digest/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 1 naming the image, its key and its resource when the plan has a tag-only image", async () => {
    // A plan saved earlier (`npm run --silent plan … > plan.json`) of a stack that is not sealed.
    const dir = projectWithStack(
      scratch,
      "laptop",
      "config:\n  stellaops-infra:profile: docker\n  stellaops-infra:docker:\n    valkey:\n      image: valkey/valkey:9.0.1\n",
    );
    const saved = join(dir, "plan.json");
    const urn = "urn:pulumi:laptop::stellaops-infra::docker:index/remoteImage:RemoteImage::laptop-valkey-image";
    writeFileSync(
      saved,
      JSON.stringify({
        project: "stellaops-infra",
        stack: "laptop",
        outputs: { profile: "docker" },
        resources: [
          {
            urn,
            type: "docker:index/remoteImage:RemoteImage",
            name: "laptop-valkey-image",
            custom: true,
            parent: null,
            provider: null,
            dependencies: [],
            inputs: { name: "valkey/valkey:9.0.1", keepLocally: true },
            options: {},
          },
        ],
      }),
    );
    const { status, stdout, stderr } = await manifestCommand(["--stack", "laptop", "--dir", dir, "--plan", saved]);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      "image valkey/valkey:9.0.1 [stellaops-infra:docker.valkey.image] (used by docker:index/remoteImage:RemoteImage laptop-valkey-image): not pinned by digest",
    );
  });

  it("prints a readable table", () => {
    const dir = projectWithStack(scratch, "airgap", SEALED_DOCKER);
    const { status, stdout } = npmRun("airgap:manifest", ["--stack", "airgap", "--dir", dir, "--format", "table"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Air-gap manifest: stellaops-infra \/ stack airgap \(docker profile\), sealed, mirror /);
    expect(stdout).toContain("Pulumi provider plugins (");
    expect(stdout).toMatch(/Pulumi CLI \(Pulumi.version\)\s+\d+\.\d+\.\d+/);
  });

  it("rejects unknown options and formats with usage (exit 2)", async () => {
    expect(await manifestCommand(["--stack", "dev", "--format", "yaml"])).toMatchObject({ status: 2 });
    expect(await manifestCommand(["--stack", "dev", "--verbose"])).toMatchObject({ status: 2 });
    expect(await manifestCommand([])).toMatchObject({ status: 2 });
  });
});

// The example air-gapped stack, as soon as it exists in the project.
describe.skipIf(!existsSync(join(PROJECT_ROOT, "Pulumi.airgap.yaml")))("the example airgap stack", () => {
  it("has a complete manifest: every image pinned, from the mirror, and listed exactly as its plan uses it", async () => {
    const manifest = await expectManifestMatchesPlan("airgap");
    expect(manifest.sealed).toBe(true);
    expect(manifest.images.length).toBeGreaterThan(0);
  });
});
