import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { npmRun } from "../harness/cli";
import { PROJECT_ROOT } from "../../plan/stackFiles";
import { serverBinaryOrSkip } from "../support/servers";

/**
 * scripts/airgap-install.sh on a fake sealed machine: a temp HOME and PULUMI_HOME, a kit of fake archives, and
 * stub `pulumi` and `docker` commands on PATH that record their arguments (the Pulumi CLI cannot be installed
 * on these machines). `curl` and `wget` stubs record any attempt to reach the network.
 */

const SCRIPT = join(PROJECT_ROOT, "scripts", "airgap-install.sh");
const shellcheck = serverBinaryOrSkip("shellcheck", "shellcheck");
const scratch = mkdtempSync(join(tmpdir(), "stellaops-airgap-install-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const D1 = `sha256:${"a1".repeat(32)}`;
const REF = `registry.local:5000/stellaops/postgres@${D1}`;

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function writeExecutable(path: string, body: string): void {
  writeFileSync(path, body);
  chmodSync(path, 0o755);
}

/** Stubs record one line per call: the command and its arguments, tab-separated. */
function stubBin(dir: string, withPulumi: boolean): string {
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const record = `printf '%s' "$(basename "$0")" >>"$STUB_LOG"; printf '\\t%s' "$@" >>"$STUB_LOG"; printf '\\n' >>"$STUB_LOG"`;
  if (withPulumi) {
    writeExecutable(
      join(bin, "pulumi"),
      `#!/usr/bin/env bash\n${record}\nif [ "$1" = version ]; then echo "v\${STUB_PULUMI_VERSION:-3.248.0}"; fi\nexit 0\n`,
    );
  }
  // docker: `image inspect REF` succeeds for refs in $STUB_STATE/images; `load --input F` adds F's "ref:" lines.
  writeExecutable(
    join(bin, "docker"),
    `#!/usr/bin/env bash
${record}
case "$1" in
  image) [ "$2" = inspect ] && grep -qxF "$3" "$STUB_STATE/images" 2>/dev/null; exit $? ;;
  load) sed -n 's/^ref: //p' "$3" >>"$STUB_STATE/images"; exit 0 ;;
  *) exit 97 ;;
esac
`,
  );
  for (const net of ["curl", "wget"]) writeExecutable(join(bin, net), `#!/usr/bin/env bash\n${record}\nexit 1\n`);
  symlinkSync(process.execPath, join(bin, "node"));
  return bin;
}

interface Kit {
  root: string;
  kit: string;
  project: string;
  home: string;
  bin: string;
  log: string;
  state: string;
}

const PLUGINS = [
  { name: "docker", version: "5.2.0" },
  { name: "random", version: "4.21.2" },
];

/** A sealed kit with manifest.json, as `airgap:manifest --kit` writes it, for a project with a lockfile. */
function makeKit(options: { withPulumi?: boolean; cliArchive?: boolean } = {}): Kit {
  const root = mkdtempSync(join(scratch, "site-"));
  const kit = join(root, "kit");
  const project = join(root, "project");
  const home = join(root, "home");
  for (const d of [
    kit,
    project,
    home,
    join(kit, "plugins"),
    join(kit, "images"),
    join(kit, "charts"),
    join(kit, "pulumi"),
    join(kit, "npm-cache"),
  ]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(join(project, "package-lock.json"), '{"lockfileVersion":3,"packages":{}}\n');
  writeFileSync(join(home, ".stellaops-passphrase"), "correct horse\n");
  const plugins = PLUGINS.map((p) => {
    const file = `plugins/pulumi-resource-${p.name}-v${p.version}-linux-amd64.tar.gz`;
    writeFileSync(join(kit, file), `fake ${p.name} plugin archive\n`);
    return {
      kind: "resource",
      ...p,
      sdk: `@pulumi/${p.name}`,
      sdkVersion: p.version,
      usedByStack: true,
      file,
      sha256: sha256(join(kit, file)),
    };
  });
  const imageFile = "images/registry.local_5000_stellaops_postgres-a1a1a1a1a1a1.tar";
  writeFileSync(join(kit, imageFile), `fake image archive\nref: ${REF}\n`);
  const chartFile = "charts/nats-2.12.0.tgz";
  writeFileSync(join(kit, chartFile), "fake chart\n");
  const cliFile = "pulumi/pulumi-v3.248.0-linux-x64.tar.gz";
  if (options.cliArchive) {
    // A real archive laid out like Pulumi's: pulumi/pulumi inside.
    const staging = join(root, "cli-staging");
    mkdirSync(join(staging, "pulumi"), { recursive: true });
    const record = `printf '%s' "cli-from-kit" >>"$STUB_LOG"; printf '\\t%s' "$@" >>"$STUB_LOG"; printf '\\n' >>"$STUB_LOG"`;
    writeExecutable(
      join(staging, "pulumi", "pulumi"),
      `#!/usr/bin/env bash\n${record}\n[ "$1" = version ] && echo v3.248.0\nexit 0\n`,
    );
    execFileSync("tar", ["-czf", join(kit, cliFile), "-C", staging, "pulumi"]);
  } else {
    writeFileSync(join(kit, cliFile), "fake cli archive\n");
  }
  const manifest = {
    format: "stellaops-airgap-manifest/v1",
    project: "stellaops-infra",
    stack: "airgap",
    profile: "docker",
    sealed: true,
    mirrorRegistry: "registry.local:5000/stellaops",
    platform: "linux-amd64",
    pulumiCli: {
      version: "3.248.0",
      pinnedIn: "Pulumi.version",
      sdkVersion: "3.248.0",
      file: cliFile,
      downloadUrl: "",
      sha256: sha256(join(kit, cliFile)),
    },
    plugins,
    images: [
      {
        reference: REF,
        repository: "registry.local:5000/stellaops/postgres",
        digest: D1,
        configKeys: [],
        usedBy: [],
        file: imageFile,
        sha256: sha256(join(kit, imageFile)),
      },
    ],
    charts: [
      {
        chart: "oci://registry.local:5000/charts/nats",
        name: "nats",
        version: "2.12.0",
        source: "oci",
        file: chartFile,
        sha256: sha256(join(kit, chartFile)),
        configKeys: [],
        usedBy: [],
      },
    ],
    npm: {
      lockfile: "package-lock.json",
      sha256: sha256(join(project, "package-lock.json")),
      lockfileVersion: 3,
      packages: 0,
      cache: "npm-cache",
    },
  };
  writeFileSync(join(kit, "manifest.json"), JSON.stringify(manifest, null, 2));
  const state = join(root, "stub-state");
  mkdirSync(state);
  return {
    root,
    kit,
    project,
    home,
    bin: stubBin(root, options.withPulumi ?? true),
    log: join(root, "calls.log"),
    state,
  };
}

function install(k: Kit, args: string[] = [], extraEnv: Record<string, string> = {}) {
  const result = spawnSync("bash", [SCRIPT, "--project", k.project, ...args, k.kit], {
    encoding: "utf8",
    timeout: 60_000,
    env: {
      PATH: `${k.bin}:/usr/bin:/bin`,
      HOME: k.home,
      PULUMI_HOME: join(k.home, ".pulumi"),
      STUB_LOG: k.log,
      STUB_STATE: k.state,
      ...extraEnv,
    },
  });
  const calls = existsSync(k.log)
    ? readFileSync(k.log, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t"))
    : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const pluginInstalls = (calls: string[][]) => calls.filter((c) => c[1] === "plugin");

describe.skipIf(!shellcheck)("airgap-install.sh is shellcheck-clean", () => {
  it("passes shellcheck", () => {
    const result = spawnSync(shellcheck as string, ["--severity=style", SCRIPT], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("airgap-install.sh", () => {
  it("prints usage with --help and rejects a backend other than file:// or s3://", () => {
    const k = makeKit();
    const help = install(k, ["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: airgap-install\.sh \[options\] <kit-dir>/);
    const cloud = install(k, ["--backend", "https://api.pulumi.com"]);
    expect(cloud.status).toBe(2);
    expect(cloud.stderr).toMatch(/--backend must be file:\/\/\/path or s3:\/\/bucket/);
    expect(cloud.calls).toEqual([]);
  });

  it("installs every plugin from its verified file, loads the image, and prints the offline environment", () => {
    const k = makeKit();
    const { status, stdout, stderr, calls } = install(k, ["--backend", `file://${k.root}/state`]);
    expect(stderr).toContain("Kit complete");
    expect(status).toBe(0);
    expect(pluginInstalls(calls)).toEqual(
      PLUGINS.map((p) => [
        "pulumi",
        "plugin",
        "install",
        "resource",
        p.name,
        p.version,
        "--file",
        join(k.kit, `plugins/pulumi-resource-${p.name}-v${p.version}-linux-amd64.tar.gz`),
      ]),
    );
    expect(calls).toContainEqual([
      "docker",
      "load",
      "--input",
      join(k.kit, "images/registry.local_5000_stellaops_postgres-a1a1a1a1a1a1.tar"),
    ]);
    expect(stderr).toMatch(/loaded\s+image registry\.local:5000\/stellaops\/postgres@sha256:a1/);
    // Nothing may reach for the network: no download tool, no registry command.
    expect(calls.filter((c) => ["curl", "wget"].includes(c[0]!))).toEqual([]);
    expect(calls.filter((c) => c[0] === "docker" && ["pull", "push", "login"].includes(c[1]!))).toEqual([]);
    for (const line of [
      `export PULUMI_HOME='${join(k.home, ".pulumi")}'`,
      "export PULUMI_SKIP_UPDATE_CHECK=true",
      "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
      `export PULUMI_BACKEND_URL='file://${k.root}/state'`,
      `export PULUMI_CONFIG_PASSPHRASE_FILE='${join(k.home, ".stellaops-passphrase")}'`,
      `export npm_config_cache='${join(k.kit, "npm-cache")}'`,
      "export npm_config_offline=true",
    ]) {
      expect(stdout.split("\n")).toContain(line);
    }
    expect(existsSync(join(k.root, "state"))).toBe(true);
    // The environment file is valid shell.
    const sourced = spawnSync("bash", ["-c", `set -eu; ${stdout}\n echo "$PULUMI_BACKEND_URL"`], { encoding: "utf8" });
    expect(sourced.stdout.trim()).toBe(`file://${k.root}/state`);
  });

  it("refuses a plugin whose checksum does not match the manifest, and installs the others", () => {
    const k = makeKit();
    const tampered = join(k.kit, "plugins/pulumi-resource-docker-v5.2.0-linux-amd64.tar.gz");
    writeFileSync(tampered, "something else\n");
    const { status, stderr, calls } = install(k);
    expect(status).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `MISMATCH\\s+plugin docker 5\\.2\\.0: checksum mismatch for plugins/pulumi-resource-docker-v5\\.2\\.0-linux-amd64\\.tar\\.gz \\(sha256 ${sha256(tampered)}`,
      ),
    );
    expect(pluginInstalls(calls).map((c) => c[4])).toEqual(["random"]);
    expect(stderr).toMatch(/Missing or wrong \(1\):\n {2}- plugin docker 5\.2\.0: checksum mismatch/);
  });

  it("reports every missing item: plugin archive, image, npm cache, passphrase file", () => {
    const k = makeKit();
    unlinkSync(join(k.kit, "plugins/pulumi-resource-random-v4.21.2-linux-amd64.tar.gz"));
    unlinkSync(join(k.kit, "images/registry.local_5000_stellaops_postgres-a1a1a1a1a1a1.tar"));
    rmSync(join(k.kit, "npm-cache"), { recursive: true });
    unlinkSync(join(k.home, ".stellaops-passphrase"));
    const { status, stderr, calls } = install(k);
    expect(status).toBe(1);
    const summary = stderr.slice(stderr.indexOf("Missing or wrong"));
    expect(summary).toContain("Missing or wrong (4):");
    expect(summary).toContain(
      "  - plugin random 4.21.2: plugins/pulumi-resource-random-v4.21.2-linux-amd64.tar.gz is not in the kit",
    );
    expect(summary).toContain(
      `  - image ${REF}: images/registry.local_5000_stellaops_postgres-a1a1a1a1a1a1.tar is not in the kit`,
    );
    expect(summary).toContain("  - npm: cache directory npm-cache/ is not in the kit");
    expect(summary).toMatch(/ {2}- secrets: passphrase file .*\.stellaops-passphrase does not exist/);
    expect(pluginInstalls(calls).map((c) => c[4])).toEqual(["docker"]);
  });

  it("skips plugins already installed in PULUMI_HOME and images the engine already has", () => {
    const k = makeKit();
    mkdirSync(join(k.home, ".pulumi", "plugins", "resource-random-v4.21.2"), { recursive: true });
    writeFileSync(join(k.state, "images"), `${REF}\n`);
    const { status, stderr, calls } = install(k);
    expect(status).toBe(0);
    expect(pluginInstalls(calls).map((c) => c[4])).toEqual(["docker"]);
    expect(calls.filter((c) => c[1] === "load")).toEqual([]);
    expect(stderr).toMatch(/ok\s+plugin random 4\.21\.2 \(already installed\)/);
  });

  it("reports a lockfile that differs from the kit's and a CLI of another version", () => {
    const k = makeKit();
    writeFileSync(join(k.project, "package-lock.json"), '{"lockfileVersion":3,"packages":{"":{}}}\n');
    const result = install(k, [], { STUB_PULUMI_VERSION: "3.200.0" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/MISMATCH\s+Pulumi CLI: .*is version 3\.200\.0, the project pins 3\.248\.0/);
    expect(result.stderr).toMatch(/MISMATCH\s+npm: .*package-lock\.json differs from the one the kit was built from/);
  });

  it("unpacks the kit's Pulumi CLI when none is installed, and installs the plugins with it", () => {
    const k = makeKit({ withPulumi: false, cliArchive: true });
    const { status, stdout, stderr, calls } = install(k);
    expect(stderr).toContain("Kit complete");
    expect(status).toBe(0);
    const cliDir = join(k.home, ".pulumi", "cli", "v3.248.0", "pulumi");
    expect(calls.filter((c) => c[0] === "cli-from-kit").map((c) => c.slice(1, 5))).toEqual(
      PLUGINS.map((p) => ["plugin", "install", "resource", p.name]),
    );
    expect(stdout.split("\n")).toContain(`export PATH='${cliDir}':"$PATH"`);
  });

  it("--check-only verifies without installing, unpacking or loading anything", () => {
    const k = makeKit();
    const { status, stderr, calls } = install(k, ["--check-only", "--backend", `file://${k.root}/state`]);
    expect(stderr).toContain("check only");
    expect(pluginInstalls(calls)).toEqual([]);
    expect(calls.filter((c) => c[1] === "load")).toEqual([]);
    // The state directory is not created either: that is reported instead.
    expect(status).toBe(1);
    expect(stderr).toMatch(/state backend: directory .*\/state does not exist/);
  });

  it("writes an S3 (RustFS) backend environment without any credential in it", () => {
    const k = makeKit();
    const envFile = join(k.root, "airgap.env");
    const backend =
      "s3://stellaops-pulumi-state?endpoint=https://rustfs.internal:9000&s3ForcePathStyle=true&region=us-east-1";
    const { status, stdout } = install(k, ["--backend", backend, "--env-file", envFile]);
    expect(status).toBe(0);
    expect(stdout).toBe("");
    const env = readFileSync(envFile, "utf8");
    expect(env).toContain(`export PULUMI_BACKEND_URL='${backend}'`);
    expect(env).toContain("export AWS_REQUEST_CHECKSUM_CALCULATION=when_required");
    expect(env).not.toMatch(/^export AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)=/m);
  });

  it("refuses a manifest that was never sealed, and one with a path escaping the kit", () => {
    const k = makeKit();
    const manifest = JSON.parse(readFileSync(join(k.kit, "manifest.json"), "utf8"));
    delete manifest.plugins[0].sha256;
    writeFileSync(join(k.kit, "manifest.json"), JSON.stringify(manifest));
    const unsealed = install(k);
    expect(unsealed.status).toBe(1);
    expect(unsealed.stderr).toMatch(/plugin docker has no sha256: the kit was not sealed/);
    manifest.plugins[0].sha256 = "0".repeat(64);
    manifest.plugins[0].file = "../../etc/passwd";
    writeFileSync(join(k.kit, "manifest.json"), JSON.stringify(manifest));
    const escaping = install(k);
    expect(escaping.status).toBe(1);
    expect(escaping.stderr).toMatch(/invalid plugin docker file/);
    expect(pluginInstalls(escaping.calls)).toEqual([]);
  });
});

describe("a kit sealed by airgap:manifest is what airgap-install.sh installs", () => {
  it("seals a kit on the 'connected machine' and installs it on the 'sealed' one", () => {
    const root = mkdtempSync(join(scratch, "e2e-"));
    const stackDir = join(root, "stack");
    mkdirSync(stackDir);
    writeFileSync(join(stackDir, "Pulumi.yaml"), readFileSync(join(PROJECT_ROOT, "Pulumi.yaml")));
    // A sealed Docker stack (test digests, not real ones).
    const mirror = "registry.local:5000/stellaops";
    writeFileSync(
      join(stackDir, "Pulumi.airgap.yaml"),
      [
        "config:",
        "  stellaops-infra:profile: docker",
        "  stellaops-infra:airgap:",
        "    sealed: true",
        `    mirrorRegistry: ${mirror}`,
        "  stellaops-infra:docker:",
        ...["postgres", "valkey", "objectStore"].flatMap((svc, i) => [
          `    ${svc}:`,
          // The PostgreSQL image states its major, as the image-major rule requires.
          `      image: ${mirror}/${svc.toLowerCase()}${svc === "postgres" ? ":18.1" : ""}@sha256:${String(i + 1).repeat(64)}`,
        ]),
        "",
      ].join("\n"),
    );
    const run = (args: string[]) => npmRun("airgap:manifest", ["--stack", "airgap", "--dir", stackDir, ...args]);
    const manifest = JSON.parse(run([]).stdout) as {
      plugins: { name: string; version: string; file: string }[];
      images: { reference: string; file: string }[];
      pulumiCli: { file: string };
    };
    expect(manifest.images.length).toBeGreaterThan(0);
    const kit = join(root, "kit");
    const incomplete = run(["--kit", kit]);
    expect(incomplete.status).toBe(1);
    expect(incomplete.stderr).toContain(`${manifest.pulumiCli.file}: Pulumi CLI`);
    // What the connected machine downloads (curl) and saves (skopeo/docker save), as fakes.
    const download = (file: string, content: string) => {
      mkdirSync(dirname(join(kit, file)), { recursive: true });
      writeFileSync(join(kit, file), content);
    };
    for (const file of [manifest.pulumiCli.file, ...manifest.plugins.map((p) => p.file)]) download(file, `${file}\n`);
    for (const image of manifest.images) download(image.file, `ref: ${image.reference}\n`);
    mkdirSync(join(kit, "npm-cache"));
    const sealed = run(["--kit", kit]);
    expect(sealed.stderr).toContain(`sealed: wrote ${join(kit, "manifest.json")}`);
    expect(sealed.status).toBe(0);

    const home = join(root, "home");
    mkdirSync(home);
    writeFileSync(join(home, ".stellaops-passphrase"), "x\n");
    const bin = stubBin(root, true);
    const log = join(root, "calls.log");
    const result = spawnSync("bash", [SCRIPT, "--project", PROJECT_ROOT, kit], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        HOME: home,
        PULUMI_HOME: join(home, ".pulumi"),
        STUB_LOG: log,
        STUB_STATE: mkdtempSync(join(root, "stub-state-")),
      },
    });
    expect(result.stderr).toContain("Kit complete");
    expect(result.status).toBe(0);
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    const installed = calls.filter((c) => c[1] === "plugin").map((c) => `${c[4]}@${c[5]}`);
    expect(installed).toEqual(manifest.plugins.map((p) => `${p.name}@${p.version}`));
    const loaded = calls.filter((c) => c[0] === "docker" && c[1] === "load").map((c) => c[3]);
    expect(loaded).toEqual(manifest.images.map((i) => join(kit, i.file)));
  });
});
