import { describe, expect, it } from "vitest";
import { languageHostCommand, readRuntimeOptions, splitNodeArgs, type RunRequest } from "../languageHost/command";
import { engineUrn } from "../languageHost/fakeEngine";
import { PROJECT_ROOT } from "../../plan/stackFiles";

const request: RunRequest = {
  project: "stellaops-infra",
  stack: "dev",
  rootDirectory: "/src/infra",
  programDirectory: "/src/infra",
  entryPoint: ".",
  dryRun: true,
  config: { "stellaops-infra:profile": "docker", "aws:region": "eu-west-1" },
  configSecretKeys: ["stellaops-infra:postgres"],
  monitorAddress: "127.0.0.1:1",
  engineAddress: "127.0.0.1:2",
  options: { typescript: false, nodeargs: "--require tsx/cjs  --require ./x.ts" },
};

describe("the language host's command line (main.go @ v3.248.0)", () => {
  it("puts nodeargs before the run script, the flags after it and the entry point last", () => {
    const { args } = languageHostCommand(request, "/src/infra/node_modules/@pulumi/pulumi/cmd/run/index.js");
    expect(args).toEqual([
      "--require",
      "tsx/cjs",
      "--require",
      "./x.ts",
      "/src/infra/node_modules/@pulumi/pulumi/cmd/run/index.js",
      "--monitor",
      "127.0.0.1:1",
      "--engine",
      "127.0.0.1:2",
      "--organization",
      "organization",
      "--project",
      "stellaops-infra",
      "--root-directory",
      "/src/infra",
      "--stack",
      "dev",
      "--pwd",
      "/src/infra",
      "--dry-run",
      "--parallel",
      "2147483647",
      ".",
    ]);
  });

  it("passes config with the legacy :config: keys, secret keys as given, and ts-node only when asked", () => {
    const { env } = languageHostCommand(request, "run");
    expect(JSON.parse(env["PULUMI_CONFIG"] ?? "")).toEqual({
      "stellaops-infra:config:profile": "docker",
      "aws:config:region": "eu-west-1",
    });
    expect(JSON.parse(env["PULUMI_CONFIG_SECRET_KEYS"] ?? "")).toEqual(["stellaops-infra:postgres"]);
    expect(env["PULUMI_NODEJS_TYPESCRIPT"]).toBeUndefined();
    const withTsNode = languageHostCommand({ ...request, options: { typescript: true, nodeargs: "" } }, "run");
    expect(withTsNode.env["PULUMI_NODEJS_TYPESCRIPT"]).toBe("true");
    expect(withTsNode.args[0]).toBe("run");
  });

  it("refuses nodeargs it would split differently from the language host", () => {
    expect(() => splitNodeArgs('--title "a b"')).toThrow(/quotes/);
  });

  it("reads this project's runtime options: tsx as the loader, not the type-checking ts-node", () => {
    const options = readRuntimeOptions(PROJECT_ROOT);
    expect(options.typescript).toBe(false);
    expect(splitNodeArgs(options.nodeargs).slice(0, 2)).toEqual(["--require", "tsx/cjs"]);
  });
});

describe("the fake engine's URNs (pkg/resource/deploy/deployment.go generateURN @ v3.248.0)", () => {
  it("qualifies a child by its parent's whole type chain, and nothing under the root stack", () => {
    const stack = engineUrn("dev", "p", "", "pulumi:pulumi:Stack", "p-dev");
    const a = engineUrn("dev", "p", stack, "x:a:A", "a");
    const b = engineUrn("dev", "p", a, "x:b:B", "b");
    expect(a).toBe("urn:pulumi:dev::p::x:a:A::a");
    expect(engineUrn("dev", "p", b, "x:c:C", "c")).toBe("urn:pulumi:dev::p::x:a:A$x:b:B$x:c:C::c");
  });
});
