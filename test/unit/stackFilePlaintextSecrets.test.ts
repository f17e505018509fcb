import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ConfigError, parseStackConfig } from "../../profiles/config";
import { stackFileReaderAt, type StackFileConfig } from "../../profiles/stackSettingsFile";
import { configProblems, rawConfig } from "../harness/configProblems";
import { planStack } from "../../plan/offlinePlan";
import { PROJECT_ROOT, SECRET_PLACEHOLDER } from "../../plan/stackFiles";

/**
 * Pulumi marks a whole top-level key secret when any leaf under it is `secure:`, so a plaintext password beside a
 * secure one reaches the program looking like a secret. The stack's own settings file tells them apart.
 */

const SECURE = { secure: "v1:AAAAAAAAAAAAAAAA:ciphertext" };
const PLAIN = "hunter2hunter2hunter2";

function problems(values: Record<string, unknown>, stackFile: StackFileConfig | undefined): string[] {
  try {
    // Every top-level key is secret, as the CLI marks a key with any `secure:` leaf.
    parseStackConfig(rawConfig(values), "test", () => true, stackFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

const plaintext = (list: string[]) => list.filter((p) => p.includes("holds a secret in plaintext"));

/** An external stack as the program gets it: the secure leaves decrypted, the plaintext one as written. */
const external = (valkeyPassword: string) => ({
  profile: "external",
  external: {
    postgres: { host: "db.internal", adminPassword: "decrypted-secret-value-1" },
    valkey: { host: "cache.internal", adminPassword: valkeyPassword },
    objectStore: {
      endpoint: "https://s3.internal:9000",
      accessKey: "stellaops",
      secretKey: "decrypted-secret-value-2",
    },
  },
});
/** The same stack's settings file: two secure leaves and one plaintext leaf under `external`. */
const externalFile: StackFileConfig = {
  "stellaops-infra:profile": "external",
  "stellaops-infra:external": {
    postgres: { host: "db.internal", adminPassword: SECURE },
    valkey: { host: "cache.internal", adminPassword: PLAIN },
    objectStore: { endpoint: "https://s3.internal:9000", accessKey: "stellaops", secretKey: SECURE },
  },
};

describe("a plaintext secret beside a secure one under the same top-level key", () => {
  it("is refused naming the plaintext key only (docker: one secure and one plaintext leaf)", () => {
    const file = {
      "stellaops-infra:profile": "docker",
      "stellaops-infra:docker": { postgres: { adminPassword: SECURE }, valkey: { password: PLAIN } },
    };
    const found = problems(
      { profile: "docker", docker: { postgres: { adminPassword: "decrypted" }, valkey: { password: PLAIN } } },
      file,
    );
    expect(plaintext(found)).toEqual([
      expect.stringMatching(/^stellaops-infra:docker\.valkey\.password: holds a secret in plaintext; set it with/),
    ]);
    expect(found.join("\n")).not.toContain(PLAIN);
  });

  it("is the one problem of an otherwise valid external stack", () => {
    expect(problems(external(PLAIN), externalFile)).toEqual([
      "stellaops-infra:external.valkey.adminPassword: holds a secret in plaintext; set it with " +
        "`pulumi config set --secret --path 'external.valkey.adminPassword'`",
    ]);
  });

  it("finds leaves in lists and under keys written without the project namespace", () => {
    const file = { docker: { nats: { users: [{ name: "a" }, { password: PLAIN }] } } };
    const found = problems(
      { profile: "docker", docker: { nats: { users: [{ name: "a" }, { password: PLAIN }] } } },
      file,
    );
    expect(plaintext(found)).toEqual([expect.stringMatching(/^stellaops-infra:docker\.nats\.users\[1\]\.password:/)]);
  });

  it("is accepted when the file is not the value's source (ESC, --config-file, --config) or there is no file", () => {
    expect(problems(external("from-an-esc-environment-value"), externalFile)).toEqual([]);
    expect(problems(external(PLAIN), undefined)).toEqual([]);
    expect(problems(external(PLAIN), {})).toEqual([]);
    expect(problems(external(PLAIN), { "stellaops-infra:external": "not an object" })).toEqual([]);
  });

  it("still refuses secret-named leaves under a key that is not secret at all, without the file", () => {
    expect(plaintext(configProblems(external(PLAIN), { isSecretKey: () => false }))).toHaveLength(3);
  });
});

describe("the stack settings file reader", () => {
  const scratch = mkdtempSync(join(tmpdir(), "stellaops-stack-file-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const project = (name: string, pulumiYaml: Record<string, unknown>, stackFiles: Record<string, string>) => {
    const dir = join(scratch, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Pulumi.yaml"), stringify({ name: "stellaops-infra", runtime: "nodejs", ...pulumiYaml }));
    for (const [path, text] of Object.entries(stackFiles)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  it("reads Pulumi.<stack>.yaml beside Pulumi.yaml, or under its stackConfigDir", () => {
    const beside = project("beside", {}, { "Pulumi.dev.yaml": stringify({ config: externalFile }) });
    expect(stackFileReaderAt(beside)("dev")).toEqual(externalFile);
    const under = project(
      "under",
      { stackConfigDir: "stacks" },
      { "stacks/Pulumi.dev.yaml": stringify({ config: { a: 1 } }), "Pulumi.dev.yaml": "config: {b: 2}" },
    );
    expect(stackFileReaderAt(under)("dev")).toEqual({ a: 1 });
  });

  it("gives nothing, and never throws, for an absent, broken or hostile file", () => {
    const broken = project(
      "broken",
      {},
      {
        "Pulumi.bad.yaml": "config: [unclosed",
        "Pulumi.bomb.yaml": `a: &a ["x","x","x","x","x","x","x","x","x"]\n${[..."bcdefghij"].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefghij"[i]}`).join(",")}]`).join("\n")}\nconfig: *j\n`,
        "Pulumi.list.yaml": "config: [1, 2]",
      },
    );
    const read = stackFileReaderAt(broken);
    for (const stack of ["absent", "bad", "bomb", "list", "../broken/Pulumi", "a b"])
      expect(read(stack)).toBeUndefined();
    expect(stackFileReaderAt(join(scratch, "no-project"))("dev")).toBeUndefined();
    expect(stackFileReaderAt("")("dev")).toBeUndefined();
  });

  it("makes the offline plan refuse the plaintext leaf, and plan the same stack once it is secure", async () => {
    const stackFile = parse(readFileSync(join(PROJECT_ROOT, "Pulumi.external.yaml"), "utf8")) as {
      config: Record<string, { valkey: Record<string, unknown> }>;
    };
    stackFile.config["stellaops-infra:external"]!.valkey["adminPassword"] = PLAIN;
    const dir = project("plan", {}, { "Pulumi.leaky.yaml": stringify(stackFile) });

    const refused = await planStack("leaky", { dir }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems.map((p) => p.key)).toEqual([
      "stellaops-infra:external.valkey.adminPassword",
    ]);

    stackFile.config["stellaops-infra:external"]!.valkey["adminPassword"] = SECURE;
    writeFileSync(join(dir, "Pulumi.leaky.yaml"), stringify(stackFile));
    const plan = await planStack("leaky", { dir });
    expect(plan.resources.length).toBeGreaterThan(0);
    expect(JSON.stringify(plan)).not.toContain(SECRET_PLACEHOLDER);
  });
});
