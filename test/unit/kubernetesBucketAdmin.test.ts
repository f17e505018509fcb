import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../profiles/config";

/** Kubernetes stacks must say how this program reaches RustFS to create buckets, or fail at config load. */

const NS = "stellaops-infra";

function load(kubernetes: Record<string, unknown>) {
  return () =>
    parseStackConfig({ [`${NS}:profile`]: "kubernetes", [`${NS}:kubernetes`]: JSON.stringify(kubernetes) }, "test");
}

describe("kubernetes bucket admin address", () => {
  it("is required from outside the cluster, naming the key and what to give", () => {
    let error: unknown;
    try {
      load({})();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe(`${NS}:kubernetes.objectStore.adminEndpoint`);
    expect(problems[0].message).toMatch(/required unless kubernetes\.runsInCluster is true/);
    expect(problems[0].message).toMatch(/http\(s\) URL/);
  });

  it("is the given endpoint, or the Service name when the program runs in the cluster", () => {
    expect(load({ objectStore: { adminEndpoint: "https://rustfs-admin.stage.internal" } })).not.toThrow();
    expect(load({ runsInCluster: true })).not.toThrow();
  });

  it("refuses a runsInCluster that is not a boolean", () => {
    expect(load({ runsInCluster: "yes" })).toThrow(/kubernetes\.runsInCluster: must be true or false/);
  });
});
