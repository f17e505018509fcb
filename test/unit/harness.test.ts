import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { describe, expect, it } from "vitest";
import { assertUniqueUrns, recorder, findResource, isSecret, resetRecorder, settled, unwrapSecrets } from "../harness";

describe("recording harness", () => {
  it("records type, name, parent, provider, dependencies and options from the register requests", async () => {
    resetRecorder();
    class Parent extends pulumi.ComponentResource {
      constructor(name: string) {
        super("stellaops:test:Parent", name);
        const first = new random.RandomPassword(`${name}-first`, { length: 24 }, { parent: this, protect: true });
        new random.RandomString(
          `${name}-second`,
          { length: 8, keepers: { password: pulumi.secret(first.result) } },
          { parent: this, dependsOn: [first], retainOnDelete: true, ignoreChanges: ["length"] },
        );
        this.registerOutputs({});
      }
    }
    new Parent("p");
    const records = await settled();
    assertUniqueUrns(records);
    const parent = findResource("stellaops:test:Parent", "p");
    const first = findResource("random:index/randomPassword:RandomPassword", "p-first");
    const second = findResource("random:index/randomString:RandomString", "p-second");
    expect(parent.custom).toBe(false);
    expect(first.parent).toBe(parent.urn);
    expect(first.options.protect).toBe(true);
    expect(first.options.additionalSecretOutputs).toContain("result");
    expect(second.dependencies).toContain(first.urn);
    expect(second.options).toMatchObject({ retainOnDelete: true, ignoreChanges: ["length"] });
    // No explicit provider: the engine (not the SDK) would pick the default one.
    expect(first.provider).toBeNull();
    // Secret inputs keep their marker; unwrapping yields the fake value.
    const keepers = second.inputs["keepers"] as Record<string, unknown>;
    expect(isSecret(keepers["password"])).toBe(true);
    expect(String(unwrapSecrets(keepers["password"]))).toMatch(/^fake-password-p-first/);
  });

  it("fails loudly on an invoke the tests do not know", async () => {
    resetRecorder();
    await expect(pulumi.runtime.invoke("aws:index/getRegion:getRegion", {})).rejects.toBeDefined();
    expect(recorder.unexpectedInvokes).toEqual(["aws:index/getRegion:getRegion"]);
  });
});
