import { describe, expect, it } from "vitest";
import { plainStrings } from "../harness";
import { planStack } from "../../plan/offlinePlan";
import { exampleStacks } from "../../plan/stackFiles";
import { sealedMirror } from "../harness/stackOverrides";

/**
 * A sealed example stack references only its own site: every image from the mirror (kept on the host), and no
 * resource input naming a host outside the site (a URL to the internet, a public registry).
 */

/** Hosts a site keeps to itself: loopback, container and Service names, private DNS zones, the mirror. */
function isSiteHost(host: string, mirrorHost: string): boolean {
  return (
    host === "" ||
    host === mirrorHost ||
    ["127.0.0.1", "localhost", "[::1]"].includes(host) ||
    !host.includes(".") ||
    /\.(svc|svc\.cluster\.local|internal|local|lan|home\.arpa)$/.test(host)
  );
}

const sealedStacks = exampleStacks().filter((s) => sealedMirror(s) !== undefined);

describe("the example stacks", () => {
  it("include a sealed one", () => expect(sealedStacks.length).toBeGreaterThan(0));
});

describe.each(sealedStacks)("sealed example stack %s", (stack) => {
  const mirror = sealedMirror(stack) as string;
  const mirrorHost = mirror.split("/")[0].replace(/:\d+$/, "");

  it("pulls every image from its mirror by digest and keeps it on the host", async () => {
    const images = (await planStack(stack)).resources.filter((r) => r.type === "docker:index/remoteImage:RemoteImage");
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image.inputs["name"]).toMatch(new RegExp(`^${mirror.replace(/[.]/g, "\\.")}/[^@]+@sha256:[0-9a-f]{64}$`));
      expect(image.inputs["keepLocally"]).toBe(true);
    }
  });

  it("names no host outside the site in any resource input", async () => {
    const outside: string[] = [];
    for (const r of (await planStack(stack)).resources) {
      for (const text of plainStrings(r.inputs)) {
        for (const match of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/(\[[^\]]*\]|[^/:?#\s"']*)/gi)) {
          const host = match[1].replace(/^[^@]*@/, "").toLowerCase();
          if (!isSiteHost(host, mirrorHost)) outside.push(`${r.name}: ${match[0]}`);
        }
      }
    }
    expect(outside).toEqual([]);
  });
});
