import { describe, expect, it } from "vitest";
import { chartImage } from "../../components/nats/chartValues";
import {
  natsDockerSettings,
  natsExternalSettings,
  natsKubernetesSettings,
  natsSettings,
} from "../../components/nats/settings";
import { kubernetesQuantityBytes, natsSizeBytes, natsStorageProblems } from "../../components/nats/sizes";

function firstError(result: { success: boolean; error?: { issues: { message: string }[] } }): string {
  expect(result.success).toBe(false);
  return result.error!.issues[0].message;
}

describe("NATS settings", () => {
  it("parse {} with everything defaulted and NATS off", () => {
    expect(natsSettings.parse({})).toEqual({
      enabled: false,
      version: "2.12.1",
      userMode: "shared",
      perServiceInboxes: true,
      account: "STELLAOPS",
      jetstream: { maxFileStore: "8GB", maxMemoryStore: "256MB" },
      monitorPort: 8222,
    });
    expect(natsDockerSettings.parse({})).toEqual({ image: "nats:2.12.1-alpine", hostPort: 4222 });
    expect(natsKubernetesSettings.parse({})).toMatchObject({
      chart: { repository: "https://nats-io.github.io/k8s/helm/charts/", chart: "nats", version: "1.3.13" },
      releaseName: "nats",
      image: "nats:2.12.1-alpine",
      replicas: 1,
      storageSize: "10Gi",
    });
  });

  it("say what is allowed when a value is wrong", () => {
    expect(firstError(natsSettings.safeParse({ version: "2.8.4" }))).toMatch(/NATS 2.9 or newer/);
    expect(firstError(natsSettings.safeParse({ userMode: "everyone" }))).toMatch(/"shared" or "per-service"/);
    expect(firstError(natsSettings.safeParse({ account: "SYS" }))).toMatch(/must not be SYS/);
    expect(firstError(natsSettings.safeParse({ account: "stellaops" }))).toMatch(/upper-case account name/);
    expect(firstError(natsSettings.safeParse({ jetstream: { maxFileStore: "lots" } }))).toMatch(/"8GB"/);
    expect(firstError(natsKubernetesSettings.safeParse({ replicas: 2 }))).toMatch(/1 \(single server\) or 3 or more/);
    expect(firstError(natsKubernetesSettings.safeParse({ image: `nats@sha256:${"a".repeat(64)}` }))).toMatch(
      /must include a tag/,
    );
    expect(natsKubernetesSettings.safeParse({ replicas: 3 }).success).toBe(true);
    expect(
      natsKubernetesSettings.safeParse({ image: `registry.local:5000/nats:2.12.1-alpine@sha256:${"a".repeat(64)}` })
        .success,
    ).toBe(true);
  });

  it("require url and password for an existing server", () => {
    expect(natsExternalSettings.safeParse({ url: "nats://nats.internal:4222" }).success).toBe(false);
    expect(natsExternalSettings.parse({ url: "nats://nats.internal:4222", password: "p" })).toEqual({
      url: "nats://nats.internal:4222",
      user: "stellaops",
      password: "p",
      inboxPrefix: "_INBOX",
      tls: false,
    });
    expect(firstError(natsExternalSettings.safeParse({ url: "http://x", password: "p" }))).toMatch(
      /nats:\/\/nats.internal:4222/,
    );
  });
});

describe("sizes", () => {
  it("follow nats-server: G is 1000³, GB and Gi are 1024³", () => {
    expect(natsSizeBytes("8G")).toBe(8e9);
    expect(natsSizeBytes("8GB")).toBe(8 * 1024 ** 3);
    expect(natsSizeBytes("8gib")).toBe(8 * 1024 ** 3);
    expect(natsSizeBytes("256MB")).toBe(256 * 1024 ** 2);
    expect(natsSizeBytes("1024")).toBe(1024);
    expect(kubernetesQuantityBytes("10Gi")).toBe(10 * 1024 ** 3);
  });

  it("keep the JetStream file store within its volume", () => {
    expect(natsStorageProblems("8GB", "10Gi")).toEqual([]);
    expect(natsStorageProblems("10GB", "10Gi")).toEqual([]);
    expect(natsStorageProblems("11GB", "10Gi")).toEqual([
      {
        path: ["jetstream", "maxFileStore"],
        message: expect.stringMatching(/must fit on the JetStream volume/),
      },
    ]);
  });
});

describe("chart image", () => {
  it("splits a reference into repository and tag, keeping a digest on the tag", () => {
    expect(chartImage("nats:2.12.1-alpine")).toEqual({ repository: "nats", tag: "2.12.1-alpine" });
    expect(chartImage(`registry.local:5000/mirror/nats:2.12.1-alpine@sha256:${"f".repeat(64)}`)).toEqual({
      repository: "registry.local:5000/mirror/nats",
      tag: `2.12.1-alpine@sha256:${"f".repeat(64)}`,
    });
    expect(() => chartImage("registry.local:5000/nats")).toThrow(/needs a tag/);
  });
});
