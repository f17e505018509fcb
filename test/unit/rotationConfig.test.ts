import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../profiles/config";
import { rotatableCredentialIds } from "../../profiles/rotationIds";

/** `stellaops-infra:rotation`: ids the stack has, short safe tokens, every problem in one ConfigError. */

const NS = "stellaops-infra";

function raw(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`${NS}:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function problemsOf(values: Record<string, unknown>): string[] {
  try {
    parseStackConfig(raw(values), "test");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("rotation config", () => {
  it("accepts a token for each credential the stack has", () => {
    const cfg = parseStackConfig(
      raw({ profile: "docker", rotation: { "postgres.admin": "2026-12-01", "valkey.users.stellaops": "r2" } }),
      "dev",
    );
    expect(cfg.rotation).toEqual({ "postgres.admin": "2026-12-01", "valkey.users.stellaops": "r2" });
  });

  it("refuses ids the stack does not have, listing the ones it has, and bad tokens, all at once", () => {
    const problems = problemsOf({
      profile: "docker",
      rotation: { "postgres.roles.nosuch": "1", "nats.admin": "1", "valkey.admin": "has space" },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/rotation.*valkey\.admin.*1-40 letters, digits/);
    const unknown = problemsOf({ profile: "docker", rotation: { "postgres.roles.nosuch": "1", "nats.admin": "1" } });
    expect(unknown).toEqual([
      expect.stringMatching(/rotation\.postgres\.roles\.nosuch: no credential "postgres\.roles\.nosuch" in this stack/),
      expect.stringMatching(
        /rotation\.nats\.admin: no credential "nats\.admin".*postgres\.admin, postgres\.roles\.authority/,
      ),
    ]);
    expect(problemsOf({ profile: "docker", rotation: { "postgres.admin": "x".repeat(41) } })).toHaveLength(1);
    expect(problemsOf({ profile: "docker", rotation: { "postgres.admin": "$(reboot)" } })).toHaveLength(1);
  });

  it("lists per platform exactly the credentials this program generates", () => {
    const ids = (values: Record<string, unknown>) =>
      rotatableCredentialIds(
        parseStackConfig(raw(values), "test") as unknown as Parameters<typeof rotatableCredentialIds>[0],
      );
    const docker = ids({ profile: "docker", nats: { enabled: true } });
    expect(docker).toEqual(
      expect.arrayContaining([
        "postgres.admin",
        "postgres.roles.scanner",
        "valkey.admin",
        "valkey.healthcheck",
        "valkey.users.stellaops",
        "objectStore.root",
        "nats.admin",
      ]),
    );
    expect(docker).not.toContain("valkey.default");
    const k8s = ids({
      profile: "kubernetes",
      kubernetes: { runsInCluster: true, valkey: { replicas: 1 }, nats: { replicas: 3 } },
      nats: { enabled: true },
    });
    expect(k8s).toEqual(expect.arrayContaining(["valkey.default", "valkey.replication", "nats.route"]));
    const perService = ids({ profile: "docker", valkey: { aclMode: "per-service" } });
    expect(perService).toContain("valkey.users.stellaops-scanner");
    expect(perService).not.toContain("valkey.users.stellaops");
  });
});
