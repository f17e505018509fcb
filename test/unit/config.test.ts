import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../profiles/config";
import { isSecretFieldName, secretize } from "../../profiles/secrets";
import { exampleStacks, readStackConfig } from "../../plan/stackFiles";
import { isSecretOutput, valueOf } from "../harness";

const NS = "stellaops-infra";
const key = (k: string) => `${NS}:${k}`;

/** Raw config as Pulumi hands it to the program: namespaced keys, structured values as JSON strings. */
function raw(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [key(k), typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function problemsOf(values: Record<string, unknown>, secretKeys: string[] = []): string[] {
  try {
    parseStackConfig(raw(values), "test", (k) => secretKeys.includes(k));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("example stack files", () => {
  it.each(exampleStacks())("Pulumi.%s.yaml parses", (stack) => {
    const { config, secretKeys } = readStackConfig(stack);
    expect(() => parseStackConfig(config, stack, (k) => secretKeys.includes(k))).not.toThrow();
  });
});

describe("defaults", () => {
  it("gives the 2026 reference versions and secure defaults for a minimal docker stack", () => {
    const cfg = parseStackConfig(raw({ profile: "docker" }), "dev");
    expect(cfg.profile).toBe("docker");
    expect(cfg.postgres.version).toBe("18.1");
    expect(cfg.valkey.version).toBe("9.0.1");
    expect(cfg.nats.enabled).toBe(false);
    expect(cfg.protect).toBe(true);
    expect(cfg.environmentName).toBe("dev");
    if (cfg.profile !== "docker") throw new Error("unreachable");
    expect(cfg.docker.bindAddress).toBe("127.0.0.1");
  });
});

describe("invalid configs name their key and what is allowed", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["missing profile", {}, /stellaops-infra:profile: required: one of docker, kubernetes, aws, external/],
    [
      "unknown profile",
      { profile: "nomad" },
      /stellaops-infra:profile: must be one of docker, kubernetes, aws, external/,
    ],
    ["wrong type", { profile: "docker", protect: "yes" }, /stellaops-infra:protect: must be true or false/],
    [
      "remote Docker host without an admin address",
      { profile: "docker", docker: { host: "ssh://deploy@docker-host" } },
      /stellaops-infra:docker\.adminAddress: required when docker\.host is remote \(ssh:\/\/ or tcp:\/\/\)/,
    ],
    [
      "admin address that is no host",
      { profile: "docker", docker: { adminAddress: "127.0.0.1; rm -rf /" } },
      /stellaops-infra:docker\.adminAddress: must be an IP address or a DNS host name/,
    ],
    [
      "unknown top-level key",
      { profile: "docker", postgress: {} },
      /stellaops-infra:postgress: unknown key; allowed here: .*postgres/,
    ],
    [
      "unknown nested key",
      { profile: "docker", postgres: { verison: "18" } },
      /stellaops-infra:postgres.verison: unknown key; allowed here: .*version/,
    ],
    [
      "bad version string",
      { profile: "docker", postgres: { version: "latest" } },
      /stellaops-infra:postgres.version: must be a version such as/,
    ],
    [
      "missing required platform field",
      {
        profile: "aws",
        aws: {
          vpcId: "vpc-12345678",
          subnetIds: ["subnet-12345678", "subnet-87654321"],
          allowedCidrs: ["10.0.0.0/16"],
        },
      },
      /stellaops-infra:aws.region: required/,
    ],
    ["missing platform block", { profile: "aws" }, /stellaops-infra:aws: required for this profile/],
    [
      "platform block of another profile",
      { profile: "docker", kubernetes: {} },
      /stellaops-infra:kubernetes: unknown key/,
    ],
    [
      "NATS settings without enabled",
      { profile: "docker", nats: { version: "2.10.0" } },
      /stellaops-infra:nats.version: NATS setting given while nats.enabled is not true/,
    ],
    [
      "NATS platform settings without enabled",
      { profile: "docker", docker: { nats: {} } },
      /stellaops-infra:docker.nats: NATS setting given while nats.enabled is not true/,
    ],
    [
      "NATS on aws",
      {
        profile: "aws",
        nats: { enabled: true },
        aws: {
          region: "eu-west-1",
          vpcId: "vpc-12345678",
          subnetIds: ["subnet-12345678", "subnet-87654321"],
          allowedCidrs: ["10.0.0.0/16"],
        },
      },
      /stellaops-infra:nats.enabled: NATS JetStream is not available on the aws profile/,
    ],
    [
      "bad bind address",
      { profile: "docker", docker: { bindAddress: "everywhere" } },
      /stellaops-infra:docker.bindAddress: must be an IPv4 address/,
    ],
    [
      "unknown optional service",
      { profile: "docker", services: { optional: ["billing"] } },
      /stellaops-infra:services.optional\[0\]/,
    ],
    [
      "sealed without mirror",
      { profile: "docker", airgap: { sealed: true } },
      /stellaops-infra:airgap.mirrorRegistry: required when airgap.sealed is true/,
    ],
    [
      "sealed with a public image",
      { profile: "docker", airgap: { sealed: true, mirrorRegistry: "registry.local:5000" } },
      /stellaops-infra:docker.postgres.image: must come from the mirror registry/,
    ],
  ];
  it.each(cases)("%s", (_name, values, expected) => {
    const problems = problemsOf(values);
    expect(problems.join("\n")).toMatch(expected);
  });

  it("lists every problem at once, in one error whose message carries no stack trace", () => {
    let error: unknown;
    try {
      parseStackConfig(raw({ profile: "docker", protect: 1, postgres: { version: "x" }, bogus: true }), "dev");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(pulumi.RunError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid configuration for stack "dev" \(3 problems\):/);
    expect(message).toContain("stellaops-infra:protect");
    expect(message).toContain("stellaops-infra:postgres.version");
    expect(message).toContain("stellaops-infra:bogus");
    expect(message).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });

  it("refuses a password set in plaintext, and accepts the same key set with --secret", () => {
    const values = {
      profile: "external",
      external: {
        postgres: { host: "db.internal", adminPassword: "hunter2hunter2" },
        valkey: { host: "cache.internal", adminPassword: "hunter2hunter2" },
        objectStore: { endpoint: "https://s3.internal:9000", accessKey: "stellaops", secretKey: "hunter2hunter2" },
      },
    };
    const problems = problemsOf(values);
    expect(problems.join("\n")).toMatch(/stellaops-infra:external.postgres.adminPassword: holds a secret in plaintext/);
    expect(problems.join("\n")).not.toContain("hunter2");
  });
});

describe("secrets", () => {
  it("turns every secret-named field into a secret Output and leaves the rest plain", async () => {
    const out = secretize({
      host: "db",
      adminPassword: "s3cret-value",
      nested: [{ secretKey: "k3y", accessKey: "id" }],
    });
    expect(out.host).toBe("db");
    expect(out.nested[0].accessKey).toBe("id");
    for (const [secret, value] of [
      [out.adminPassword, "s3cret-value"],
      [out.nested[0].secretKey, "k3y"],
    ] as const) {
      expect(pulumi.Output.isInstance(secret)).toBe(true);
      expect(await isSecretOutput(secret)).toBe(true);
      expect(await valueOf(secret)).toBe(value);
    }
  });

  it("recognises secret fields by name only", () => {
    expect(["password", "adminPassword", "secretKey", "rootSecretKey"].every(isSecretFieldName)).toBe(true);
    expect(["accessKey", "passwordPolicy", "user", "Password"].some(isSecretFieldName)).toBe(false);
  });
});

describe("property: malformed configs only ever produce the config error", () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const topKeys = fc.constantFrom(
    "profile",
    "docker",
    "kubernetes",
    "aws",
    "external",
    "postgres",
    "valkey",
    "objectStore",
    "nats",
    "protect",
    "services",
    "airgap",
    "environment",
    "bogus",
  );
  it("never throws anything but ConfigError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("docker", "kubernetes", "aws", "external", "nomad", 42),
        fc.dictionary(topKeys, json, { maxKeys: 6 }),
        (profile, rest) => {
          const values = { ...rest, profile } as Record<string, unknown>;
          try {
            parseStackConfig(raw(values), "prop", () => true);
          } catch (err) {
            if (!(err instanceof ConfigError)) throw err;
            expect(err.problems.length).toBeGreaterThan(0);
            for (const p of err.problems) expect(p.key).toMatch(/^stellaops-infra:/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
