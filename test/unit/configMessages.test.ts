import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseStackConfig } from "../../profiles/config";
import { configProblems } from "../harness/configProblems";
import { PROJECT_ROOT, readStackConfig, StackFileError } from "../../plan/stackFiles";

/** What an operator reads when a stack file is wrong: every problem, each named, printable, never a trace. */

/** The loader's problems for raw, namespaced config (other namespaces included). */
const problemsOf = (raw: Record<string, string>) => configProblems({}, { raw });

describe("config namespaces", () => {
  it("reports a misspelt namespace instead of ignoring its settings, and suggests the right one", () => {
    const problems = problemsOf({
      "stellaops-infra:profile": "docker",
      "stellaops:docker": JSON.stringify({ bindAddress: "0.0.0.0" }),
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^stellaops:docker: unknown config namespace "stellaops" \(did you mean stellaops-infra:docker\?\)/,
      ),
    ]);
  });

  it("accepts Pulumi's and the providers' own namespaces", () => {
    expect(
      problemsOf({
        "stellaops-infra:profile": "docker",
        "pulumi:tags": "{}",
        "aws:region": "eu-west-1",
        "kubernetes:context": "x",
      }),
    ).toEqual([]);
  });
});

describe("an invalid profile does not hide the other problems", () => {
  it("reports the profile, the shared settings' problems and plaintext secrets together", () => {
    const problems = problemsOf({
      "stellaops-infra:profile": "nomad",
      "stellaops-infra:protect": "yes",
      "stellaops-infra:postgres": JSON.stringify({ version: "latest" }),
      "stellaops-infra:external": JSON.stringify({ postgres: { adminPassword: "hunter2" } }),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        "stellaops-infra:profile: must be one of docker, kubernetes, aws, external",
        expect.stringMatching(/^stellaops-infra:protect: must be true or false/),
        expect.stringMatching(/^stellaops-infra:postgres\.version: /),
        expect.stringMatching(/^stellaops-infra:external\.postgres\.adminPassword: holds a secret in plaintext/),
      ]),
    );
  });

  it("says the profile is required when it is missing, with the rest", () => {
    const problems = problemsOf({ "stellaops-infra:protect": "yes" });
    expect(problems).toContain("stellaops-infra:profile: required: one of docker, kubernetes, aws, external");
    expect(problems.some((p) => p.startsWith("stellaops-infra:protect:"))).toBe(true);
  });
});

describe("messages are printable", () => {
  it("escapes control and bidi characters of unknown keys instead of printing them raw", () => {
    let message = "";
    try {
      parseStackConfig(
        {
          "stellaops-infra:profile": "docker",
          "stellaops-infra:docker": JSON.stringify({ "evil\u001b[2J\u202ekey\n": 1 }),
        },
        "test",
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("stellaops-infra:docker.");
    expect(message).toContain("\\u001b[2J\\u202ekey\\u000a");
    // Apart from the newlines between problems, nothing below U+0020 and no bidi override is left.
    expect([...message].filter((c) => (c < " " && c !== "\n") || c === "\u202e")).toEqual([]);
  });
});

describe("stack files that are not YAML Pulumi can read", () => {
  const dir = mkdtempSync(join(tmpdir(), "stellaops-stackfile-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));

  it("names the file when an alias bomb trips the alias limit", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(", ")}]`,
      );
    writeFileSync(join(dir, "Pulumi.bomb.yaml"), `${levels.join("\n")}\nconfig: {}\n`);
    expect(() => readStackConfig("bomb", dir)).toThrow(StackFileError);
    expect(() => readStackConfig("bomb", dir)).toThrow(
      /^Pulumi\.bomb\.yaml is not a stack file Pulumi can read: .*alias/i,
    );
  });

  it("names the file for plain YAML syntax errors", () => {
    writeFileSync(join(dir, "Pulumi.broken.yaml"), "config:\n  stellaops-infra:profile: [docker\n");
    expect(() => readStackConfig("broken", dir)).toThrow(/^Pulumi\.broken\.yaml is not a stack file Pulumi can read: /);
  });
});
