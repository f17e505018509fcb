import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { archiveFileName, isPinned, parseImageRef, referenceFromImageObject } from "../../scripts/airgap/imageRef";
import { sealKit } from "../../scripts/airgap/kit";
import { buildManifest, formatProblems, type ManifestInputs } from "../../scripts/airgap/manifest";
import { chartsInPlan, remoteManifestsInPlan } from "../../scripts/airgap/planCharts";
import { imagesInPlan } from "../../scripts/airgap/planImages";
import {
  packagesUsedByPlan,
  pluginDownloadUrl,
  pluginsFromSdks,
  readInstalledSdks,
} from "../../scripts/airgap/plugins";
import { renderTable } from "../../scripts/airgap/table";
import { readCliPin, readNpmLockfile, sha256File } from "../../scripts/airgap/toolchain";
import type { PlanDocument, PlanResource } from "../../plan/offlinePlan";
import { planResource } from "../harness/planFixtures";
import { PROJECT_ROOT } from "../../plan/stackFiles";

/** Pure parts of the air-gap manifest, on synthetic plans and fixture trees. */

const NS = "stellaops-infra";
const D1 = `sha256:${"a1".repeat(32)}`;
const D2 = `sha256:${"b2".repeat(32)}`;
const D3 = `sha256:${"c3".repeat(32)}`;
const MIRROR = "registry.local:5000/stellaops";

const scratch = mkdtempSync(join(tmpdir(), "stellaops-airgap-unit-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function resource(type: string, name: string, inputs: Record<string, unknown>, custom = true): PlanResource {
  return planResource("airgap", type, name, inputs, { custom });
}

function plan(resources: PlanResource[], outputs: Record<string, unknown> = { profile: "docker" }): PlanDocument {
  return { project: "stellaops-infra", stack: "airgap", resources, outputs };
}

describe("image references", () => {
  it("splits registry port, repository, tag and digest", () => {
    expect(parseImageRef(`${MIRROR}/postgres:18.1@${D1}`)).toEqual({
      reference: `${MIRROR}/postgres:18.1@${D1}`,
      repository: `${MIRROR}/postgres`,
      tag: "18.1",
      digest: D1,
    });
    expect(parseImageRef(`${MIRROR}/valkey@${D2}`)).toMatchObject({ repository: `${MIRROR}/valkey`, digest: D2 });
    expect(parseImageRef("registry.local:5000/nats")).toEqual({
      reference: "registry.local:5000/nats",
      repository: "registry.local:5000/nats",
    });
    expect(parseImageRef("postgres:18.1")).toMatchObject({ repository: "postgres", tag: "18.1" });
  });

  it("pins only by sha256 digest; a tag or a bare name is not pinned", () => {
    expect(isPinned(parseImageRef(`${MIRROR}/postgres@${D1}`)!)).toBe(true);
    expect(isPinned(parseImageRef("postgres:18.1")!)).toBe(false);
    expect(isPinned(parseImageRef("postgres")!)).toBe(false);
    expect(isPinned(parseImageRef("postgres@sha256:abc")!)).toBe(false);
  });

  it("rejects local image IDs and strings that are no reference", () => {
    expect(parseImageRef(D1)).toBeUndefined();
    expect(parseImageRef("Postgres:18")).toBeUndefined();
    expect(parseImageRef("postgres 18")).toBeUndefined();
    expect(parseImageRef("")).toBeUndefined();
  });

  it("joins Helm-style image objects, never appending a second digest", () => {
    expect(
      referenceFromImageObject({ registry: "registry.local:5000", repository: "stellaops/valkey", tag: "9.0.1" }),
    ).toBe("registry.local:5000/stellaops/valkey:9.0.1");
    expect(referenceFromImageObject({ repository: `${MIRROR}/nats`, digest: D3 })).toBe(`${MIRROR}/nats@${D3}`);
    expect(referenceFromImageObject({ repository: "nats", tag: `2.12@${D3}`, digest: D3 })).toBe(`nats:2.12@${D3}`);
    expect(referenceFromImageObject({ repository: "", tag: "1" })).toBeUndefined();
    expect(referenceFromImageObject({ pullPolicy: "IfNotPresent" })).toBeUndefined();
  });

  it("names kit archives after repository and digest", () => {
    expect(archiveFileName(parseImageRef(`${MIRROR}/postgres@${D1}`)!)).toBe(
      `images/registry.local_5000_stellaops_postgres-${"a1".repeat(6)}.tar`,
    );
  });
});

describe("images and charts found in a plan", () => {
  const cnpgOperator = resource("kubernetes:helm.sh/v3:Release", "airgap-cnpg", {
    chart: "oci://registry.local:5000/charts/cloudnative-pg",
    version: "0.26.1",
    values: { image: { repository: `${MIRROR}/cloudnative-pg`, tag: `1.27.1@${D2}` }, imagePullPolicy: "Never" },
  });
  const natsRelease = resource("kubernetes:helm.sh/v3:Release", "airgap-nats", {
    chart: "charts/nats-2.12.0.tgz",
    version: "2.12.0",
    values: {
      container: { image: { registry: "registry.local:5000", repository: "stellaops/nats", digest: D3 } },
      reloader: { image: { repository: `${MIRROR}/nats-config-reloader`, tag: "0.19.1" } },
      natsBox: { enabled: false },
    },
  });
  const sample = plan([
    resource("pulumi:providers:docker", "docker", { host: "unix:///var/run/docker.sock" }),
    resource("docker:index/remoteImage:RemoteImage", "airgap-postgres-image", {
      name: `${MIRROR}/postgres@${D1}`,
      keepLocally: true,
    }),
    // The container runs the pulled image by its local ID: not a registry reference.
    resource("docker:index/container:Container", "airgap-postgres", { image: `sha256:${"0".repeat(64)}` }),
    resource("kubernetes:postgresql.cnpg.io/v1:Cluster", "airgap-pg", {
      spec: { imageName: `${MIRROR}/postgresql@${D1}` },
    }),
    resource("kubernetes:apps/v1:Deployment", "airgap-rustfs", {
      spec: {
        template: {
          spec: { containers: [{ name: "rustfs", image: `${MIRROR}/rustfs@${D2}` }, { image: "[secret]" }] },
        },
      },
    }),
    cnpgOperator,
    natsRelease,
    resource("kubernetes:helm.sh/v3:Release", "airgap-valkey", {
      chart: "valkey",
      version: "0.7.0",
      repositoryOpts: { repo: "https://valkey.io/valkey-helm/" },
    }),
    resource("kubernetes:yaml/v2:ConfigFile", "airgap-crds", { file: "https://example.com/crds.yaml" }),
    resource("stellaops:postgres:Server", "airgap-postgres", {}, false),
  ]);

  it("lists every image reference exactly once, with each resource that uses it", () => {
    const found = imagesInPlan(sample);
    expect(found.map((f) => f.reference)).toEqual(
      [
        `${MIRROR}/cloudnative-pg:1.27.1@${D2}`,
        `${MIRROR}/nats-config-reloader:0.19.1`,
        `${MIRROR}/postgres@${D1}`,
        `${MIRROR}/postgresql@${D1}`,
        `${MIRROR}/rustfs@${D2}`,
        `registry.local:5000/stellaops/nats@${D3}`,
      ].sort(),
    );
    const nats = found.find((f) => f.reference.endsWith(`nats@${D3}`));
    expect(nats?.usedBy).toEqual([
      { urn: natsRelease.urn, type: natsRelease.type, name: "airgap-nats", path: "values.container.image" },
    ]);
    expect(found.find((f) => f.reference.includes("/postgres@"))?.usedBy[0]?.path).toBe("name");
  });

  it("classifies chart sources and flags manifests fetched from URLs", () => {
    const charts = chartsInPlan(sample);
    expect(charts.map((c) => [c.chart, c.version, c.kind])).toEqual([
      ["charts/nats-2.12.0.tgz", "2.12.0", "file"],
      ["oci://registry.local:5000/charts/cloudnative-pg", "0.26.1", "oci"],
      ["valkey", "0.7.0", "repository"],
    ]);
    expect(remoteManifestsInPlan(sample).map((r) => r.url)).toEqual(["https://example.com/crds.yaml"]);
  });
});

describe("plugins from the lockfile and the installed SDKs", () => {
  it("lists each installed provider SDK's plugin at the version its package.json declares", () => {
    const { sdks, problems } = readInstalledSdks(PROJECT_ROOT);
    expect(problems).toEqual([]);
    const plugins = pluginsFromSdks(sdks, "linux-amd64", new Set(["docker"]));
    // Independent reading: every node_modules/@pulumi/* package that declares a resource plugin.
    const expected = readdirSync(join(PROJECT_ROOT, "node_modules", "@pulumi"))
      .map((dir) =>
        JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", "@pulumi", dir, "package.json"), "utf8")),
      )
      .filter((pkg: { pulumi?: { resource?: boolean } }) => pkg.pulumi?.resource === true)
      .map(
        (pkg: { name: string; pulumi: { name: string; version: string } }) =>
          `${pkg.pulumi.name}@${pkg.pulumi.version}`,
      )
      .sort();
    expect(plugins.map((p) => `${p.name}@${p.version}`)).toEqual(expected);
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const p of plugins) expect(manifest.dependencies[p.sdk]).toBe(p.sdkVersion);
    expect(plugins.find((p) => p.name === "docker")).toMatchObject({
      usedByStack: true,
      file: `plugins/pulumi-resource-docker-v${manifest.dependencies["@pulumi/docker"]}-linux-amd64.tar.gz`,
    });
    expect(plugins.some((p) => p.sdk === "@pulumi/policy" || p.sdk === "@pulumi/pulumi")).toBe(false);
  });

  it("carries the command plugin: psql from the deploy machine manages CREATEROLE logins (components/postgres/loginCommand.ts)", () => {
    const { sdks } = readInstalledSdks(PROJECT_ROOT);
    const version = (
      JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }
    ).dependencies["@pulumi/command"];
    expect(version).toBe("1.2.1");
    const used = packagesUsedByPlan([
      { type: "command:local:Command", custom: true },
      { type: "stellaops:postgres:Database", custom: false },
    ]);
    expect([...used]).toEqual(["command"]);
    expect(pluginsFromSdks(sdks, "linux-amd64", used).find((p) => p.name === "command")).toMatchObject({
      version,
      sdk: "@pulumi/command",
      usedByStack: true,
      file: `plugins/pulumi-resource-command-v${version}-linux-amd64.tar.gz`,
    });
  });

  function fixtureRoot(packages: Record<string, { locked: string; installed?: Record<string, unknown> }>): string {
    const root = mkdtempSync(join(scratch, "sdks-"));
    const lock: Record<string, unknown> = { "": { name: "fixture" } };
    for (const [name, spec] of Object.entries(packages)) {
      lock[`node_modules/${name}`] = { version: spec.locked };
      if (spec.installed) {
        mkdirSync(join(root, "node_modules", name), { recursive: true });
        writeFileSync(join(root, "node_modules", name, "package.json"), JSON.stringify({ name, ...spec.installed }));
      }
    }
    writeFileSync(join(root, "package-lock.json"), JSON.stringify({ lockfileVersion: 3, packages: lock }));
    return root;
  }

  it("reports a stale node_modules and an SDK that is locked but not installed", () => {
    const root = fixtureRoot({
      "@pulumi/docker": {
        locked: "5.2.0",
        installed: { version: "5.1.0", pulumi: { resource: true, name: "docker" } },
      },
      "@pulumi/random": { locked: "4.21.2" },
      "left-pad": { locked: "1.3.0", installed: { version: "1.3.0" } },
    });
    const { sdks, problems } = readInstalledSdks(root);
    expect(problems).toEqual([
      "@pulumi/docker is installed at 5.1.0 but package-lock.json locks 5.2.0: run `npm ci`",
      "node_modules/@pulumi/random is in package-lock.json but not installed: run `npm ci`",
    ]);
    expect(sdks.map((s) => s.package)).toEqual(["@pulumi/docker"]);
  });

  it("uses pulumi.name, pulumi.version and pulumi.server of third-party SDKs", () => {
    const root = fixtureRoot({
      "@pulumiverse/harbor": {
        locked: "3.10.0",
        installed: {
          version: "3.10.0",
          pulumi: { resource: true, name: "harbor", version: "3.10.0", server: "github://api.github.com/pulumiverse" },
        },
      },
    });
    const [plugin] = pluginsFromSdks(readInstalledSdks(root).sdks, "linux-arm64", new Set());
    expect(plugin).toMatchObject({ name: "harbor", version: "3.10.0", usedByStack: false });
    expect(plugin?.downloadUrl).toBe(
      "https://github.com/pulumiverse/pulumi-harbor/releases/download/v3.10.0/pulumi-resource-harbor-v3.10.0-linux-arm64.tar.gz",
    );
    expect(pluginDownloadUrl("docker", "5.2.0", "linux-amd64")).toBe(
      "https://get.pulumi.com/releases/plugins/pulumi-resource-docker-v5.2.0-linux-amd64.tar.gz",
    );
  });
});

describe("the pinned Pulumi CLI", () => {
  it("Pulumi.version pins the CLI release of the installed @pulumi/pulumi SDK", () => {
    const { cli, problems } = readCliPin(PROJECT_ROOT, "linux-amd64");
    const sdk = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as {
      version: string;
    };
    expect(problems).toEqual([]);
    expect(cli?.version).toBe(sdk.version);
    expect(readFileSync(join(PROJECT_ROOT, "Pulumi.version"), "utf8").trim()).toBe(sdk.version);
    expect(cli?.file).toBe(`pulumi/pulumi-v${sdk.version}-linux-x64.tar.gz`);
  });

  it("refuses a missing pin, a range and a CLI older than the SDK", () => {
    const root = mkdtempSync(join(scratch, "cli-"));
    mkdirSync(join(root, "node_modules/@pulumi/pulumi"), { recursive: true });
    writeFileSync(join(root, "node_modules/@pulumi/pulumi/package.json"), JSON.stringify({ version: "3.248.0" }));
    expect(readCliPin(root, "linux-amd64").problems[0]).toMatch(/Pulumi.version is missing/);
    writeFileSync(join(root, "Pulumi.version"), "^3.248.0\n");
    expect(readCliPin(root, "linux-amd64").problems[0]).toMatch(/one exact version/);
    writeFileSync(join(root, "Pulumi.version"), "3.200.0\n");
    expect(readCliPin(root, "linux-amd64").problems[0]).toMatch(/older than the installed @pulumi\/pulumi SDK 3.248.0/);
  });
});

describe("the manifest and its problems", () => {
  const config = {
    [`${NS}:profile`]: "docker",
    [`${NS}:airgap`]: JSON.stringify({ sealed: true, mirrorRegistry: MIRROR }),
    [`${NS}:docker`]: JSON.stringify({
      postgres: { image: `${MIRROR}/postgres@${D1}` },
      valkey: { image: "valkey/valkey:9.0.1" },
    }),
  };

  function inputs(resources: PlanResource[], cfg: Record<string, string> = config): ManifestInputs {
    const { sdks } = readInstalledSdks(PROJECT_ROOT);
    const { cli } = readCliPin(PROJECT_ROOT, "linux-amd64");
    return {
      plan: plan(resources),
      config: cfg,
      namespace: NS,
      sdks,
      sdkProblems: [],
      cli,
      cliProblems: [],
      npm: readNpmLockfile(PROJECT_ROOT),
      platform: "linux-amd64",
      programRoot: PROJECT_ROOT,
    };
  }

  it("names the unpinned image, its config key and the resource using it", () => {
    const { problems } = buildManifest(
      inputs([
        resource("docker:index/remoteImage:RemoteImage", "airgap-postgres-image", { name: `${MIRROR}/postgres@${D1}` }),
        resource("docker:index/remoteImage:RemoteImage", "airgap-valkey-image", { name: "valkey/valkey:9.0.1" }),
      ]),
    );
    const text = formatProblems("airgap", problems);
    expect(problems.map((p) => p.subject)).toEqual(["image valkey/valkey:9.0.1", "image valkey/valkey:9.0.1"]);
    expect(problems.map((p) => p.message).join("\n")).toMatch(/not pinned by digest/);
    expect(problems.map((p) => p.message).join("\n")).toMatch(
      /not from the mirror registry registry.local:5000\/stellaops/,
    );
    expect(text).toContain("[stellaops-infra:docker.valkey.image]");
    expect(text).toContain("docker:index/remoteImage:RemoteImage airgap-valkey-image");
    expect(text).not.toContain("image registry.local:5000/stellaops/postgres");
  });

  it("says when an unpinned image came from a default, not from the stack file", () => {
    const { problems } = buildManifest(
      inputs([resource("docker:index/remoteImage:RemoteImage", "x-rustfs-image", { name: "rustfs/rustfs:latest" })]),
    );
    expect(formatProblems("airgap", problems)).toContain(
      "image rustfs/rustfs:latest [a default: not set in Pulumi.airgap.yaml]",
    );
  });

  it("refuses charts from a Helm repository, without an exact version, or missing from the project", () => {
    const cfg = {
      ...config,
      [`${NS}:kubernetes`]: JSON.stringify({
        valkey: { chart: { repository: "https://valkey.io/valkey-helm/", chart: "valkey", version: "0.7.0" } },
      }),
    };
    const { problems } = buildManifest(
      inputs(
        [
          resource("kubernetes:helm.sh/v3:Release", "v", {
            chart: "valkey",
            version: "0.7.0",
            repositoryOpts: { repo: "https://valkey.io/valkey-helm/" },
          }),
          resource("kubernetes:helm.sh/v3:Release", "n", { chart: "oci://registry.local:5000/charts/nats" }),
          resource("kubernetes:helm.sh/v3:Release", "c", { chart: "charts/missing-1.0.0.tgz", version: "1.0.0" }),
        ],
        cfg,
      ),
    );
    const text = formatProblems("airgap", problems);
    expect(text).toMatch(
      /chart valkey 0.7.0 \[stellaops-infra:kubernetes.valkey.chart\].*Helm repository over the network/,
    );
    expect(text).toMatch(/chart oci:\/\/registry.local:5000\/charts\/nats .*has no exact version/);
    expect(text).toMatch(/chart charts\/missing-1.0.0.tgz 1.0.0 .*vendored chart not found/);
  });

  it("records a vendored chart's sha256 and an OCI chart's kit file", () => {
    const dir = mkdtempSync(join(scratch, "charts-"));
    writeFileSync(join(dir, "valkey-0.7.0.tgz"), "chart bytes");
    const { manifest, problems } = buildManifest(
      inputs([
        resource("kubernetes:helm.sh/v3:Release", "v", { chart: join(dir, "valkey-0.7.0.tgz"), version: "0.7.0" }),
        resource("kubernetes:helm.sh/v3:Release", "n", {
          chart: "registry.local:5000/charts/nats".replace(/^/, "oci://"),
          version: "2.12.0",
        }),
      ]),
    );
    expect(problems).toEqual([]);
    expect(manifest?.charts.map((c) => [c.name, c.source, c.sha256 ?? c.file])).toEqual([
      ["valkey", "file", sha256File(join(dir, "valkey-0.7.0.tgz"))],
      ["nats", "oci", "charts/nats-2.12.0.tgz"],
    ]);
  });

  it("seals a kit: every named file checksummed, missing ones listed with where to get them", () => {
    const { manifest } = buildManifest(
      inputs([resource("docker:index/remoteImage:RemoteImage", "p", { name: `${MIRROR}/postgres@${D1}` })]),
    );
    const kit = mkdtempSync(join(scratch, "kit-"));
    mkdirSync(join(kit, "plugins"));
    const docker = manifest!.plugins.find((p) => p.name === "docker")!;
    writeFileSync(join(kit, docker.file), "plugin bytes");
    const { sealed, missing } = sealKit(manifest!, kit);
    expect(sealed.plugins.find((p) => p.name === "docker")?.sha256).toBe(sha256File(join(kit, docker.file)));
    expect(missing.map((m) => m.file)).toEqual(
      expect.arrayContaining([manifest!.pulumiCli.file, manifest!.images[0]!.file, "npm-cache/"]),
    );
    expect(missing.map((m) => m.file)).not.toContain(docker.file);
    expect(missing.find((m) => m.file === manifest!.pulumiCli.file)?.how).toContain(manifest!.pulumiCli.downloadUrl);
  });

  it("renders every section as a table", () => {
    const { manifest } = buildManifest(
      inputs([resource("docker:index/remoteImage:RemoteImage", "p", { name: `${MIRROR}/postgres@${D1}` })]),
    );
    const table = renderTable(manifest!);
    for (const heading of ["Container images (1)", "Helm charts (0)", "Pulumi provider plugins", "Toolchain"]) {
      expect(table).toContain(heading);
    }
    expect(table).toContain(`${MIRROR}/postgres@${D1}`);
    expect(table).toContain("stellaops-infra:docker.postgres.image");
  });
});
