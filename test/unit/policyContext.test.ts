import { describe, expect, it } from "vitest";
import { contextFromConfig, isProductionName, requestsObjectLock } from "../../policy/context";

/** How the offline runner (and the generated CrossGuard config) learns what kind of stack it judges. */

const NS = "stellaops-infra";
const cfg = (entries: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(entries).map(([k, v]) => [
      k.includes(":") ? k : `${NS}:${k}`,
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );

describe("contextFromConfig", () => {
  it("reads sealed and the mirror from airgap", () => {
    const c = contextFromConfig(
      "airgap",
      cfg({ airgap: { sealed: true, mirrorRegistry: "registry.local:5000/stellaops" } }),
    );
    expect(c).toMatchObject({ sealed: true, mirrorRegistry: "registry.local:5000/stellaops" });
    expect(contextFromConfig("dev", cfg({ profile: "docker" })).sealed).toBe(false);
  });

  it("treats prod-named stacks or environments as production, unless stellaops-policy:production says otherwise", () => {
    expect(contextFromConfig("prod", cfg({})).production).toBe(true);
    expect(contextFromConfig("eu-prod", cfg({})).production).toBe(true);
    expect(contextFromConfig("main", cfg({ environment: "production" })).production).toBe(true);
    expect(contextFromConfig("dev", cfg({})).production).toBe(false);
    expect(contextFromConfig("produce", cfg({})).production).toBe(false);
    expect(contextFromConfig("live", cfg({ "stellaops-policy:production": "true" })).production).toBe(true);
    expect(contextFromConfig("prod-copy", cfg({ "stellaops-policy:production": "false" })).production).toBe(false);
  });

  it("asks for immutable evidence when an objectLock setting is on, or when told explicitly", () => {
    expect(
      contextFromConfig("s", cfg({ objectStore: { objectLock: { enabled: true, mode: "COMPLIANCE", days: 365 } } }))
        .immutableEvidence,
    ).toBe(true);
    expect(contextFromConfig("s", cfg({ objectStore: { objectLock: { enabled: false } } })).immutableEvidence).toBe(
      false,
    );
    // The schema defaults enabled to false: a mode alone does not turn the lock on.
    expect(contextFromConfig("s", cfg({ objectStore: { objectLock: { mode: "COMPLIANCE" } } })).immutableEvidence).toBe(
      false,
    );
    expect(
      contextFromConfig("s", cfg({ aws: { objectStore: { evidenceObjectLock: { enabled: true } } } }))
        .immutableEvidence,
    ).toBe(true);
    expect(contextFromConfig("s", cfg({ objectStore: { bucketPrefix: "acme-" } })).immutableEvidence).toBe(false);
    expect(contextFromConfig("s", cfg({ "stellaops-policy:immutableEvidence": "true" })).immutableEvidence).toBe(true);
  });

  it("names the evidence bucket from the prefix and the configured name", () => {
    expect(contextFromConfig("s", cfg({})).evidenceBucket).toBe("evidence-locker");
    expect(
      contextFromConfig("s", cfg({ objectStore: { bucketPrefix: "acme-prod-", buckets: { evidence: "evidence" } } }))
        .evidenceBucket,
    ).toBe("acme-prod-evidence");
  });

  it("ignores other projects' keys", () => {
    expect(contextFromConfig("s", { "other:airgap": JSON.stringify({ sealed: true }) }).sealed).toBe(false);
  });
});

describe("helpers", () => {
  it("isProductionName matches prod as a word only", () => {
    expect(["prod", "production", "prd", "eu_prod", "prod-2"].every(isProductionName)).toBe(true);
    expect(["product", "preprod", "dev"].some(isProductionName)).toBe(false);
  });
  it("requestsObjectLock looks into nested blocks", () => {
    expect(requestsObjectLock({ buckets: { evidence: "e" }, evidence: { objectLockMode: "COMPLIANCE" } })).toBe(false);
    expect(requestsObjectLock({ evidence: { objectLock: { enabled: true, mode: "GOVERNANCE", days: 1 } } })).toBe(true);
  });
});
