import { describe, expect, it } from "vitest";
import { RUSTFS_FACTS } from "../../components/objectStore/rustfsFacts";
import { POSTGRES_IMAGE_FACTS } from "../../components/postgres/imageFacts";
import { planStack } from "../../plan/offlinePlan";
import { natsToggle } from "../harness/stackOverrides";

/**
 * No root secret in any container's environment (`docker inspect` prints it to anyone with Docker access, and
 * it lands in every `docker inspect` paste): the images read `*_FILE` variables, and the files are uploads.
 * Checked against what each image does with them, as recorded with its source in imageFacts.ts / rustfsFacts.ts:
 * `X` and `X_FILE` together are refused by both entrypoints, and the file must be readable by whoever reads it
 * (PostgreSQL's entrypoint as root before it drops to postgres; RustFS as uid 10001, not the files' owner).
 */

const CONTAINER = "docker:index/container:Container";
/** Who reads each `*_FILE` variable, per the facts: the upload is owned by root (the provider's archive has uid 0). */
const READER: Record<string, "root" | "other"> = {
  POSTGRES_PASSWORD_FILE: "root",
  RUSTFS_ACCESS_KEY_FILE: "other",
  RUSTFS_SECRET_KEY_FILE: "other",
};

function readable(mode: string, reader: "root" | "other"): boolean {
  const bits = Number.parseInt(mode, 8);
  return reader === "root" ? (bits & 0o400) !== 0 : (bits & 0o004) !== 0;
}

describe("root secrets reach the Docker containers as files (dev stack, NATS on)", () => {
  const planned = planStack("dev", { overrides: natsToggle("dev", true), fakeOutputs: true });

  it("has no secret in any container's environment", async () => {
    const plan = await planned;
    const containers = plan.resources.filter((r) => r.type === CONTAINER);
    expect(containers).toHaveLength(4);
    for (const c of containers) {
      const envs = (c.inputs["envs"] ?? []) as unknown;
      // The plan prints secrets as "[secret]": a secret env would show here as that marker.
      expect(Array.isArray(envs), c.name).toBe(true);
      expect(JSON.stringify(envs), c.name).not.toContain("[secret]");
      expect(JSON.stringify(envs), c.name).not.toMatch(/(PASSWORD|SECRET_KEY|ACCESS_KEY)=/);
    }
  });

  it("points every *_FILE variable at an upload its reader can read, never beside the plain variable", async () => {
    const plan = await planned;
    let fileVariables = 0;
    for (const c of plan.resources.filter((r) => r.type === CONTAINER)) {
      const envs = (c.inputs["envs"] ?? []) as string[];
      const names = envs.map((e) => e.slice(0, e.indexOf("=")));
      const uploads = (c.inputs["uploads"] ?? []) as { file: string; permissions: string; content: unknown }[];
      for (const env of envs.filter((e) => /^[A-Z_]+_FILE=/.test(e))) {
        const [name, path] = [env.slice(0, env.indexOf("=")), env.slice(env.indexOf("=") + 1)];
        fileVariables++;
        expect(names, `${c.name}: ${name} and ${name.replace(/_FILE$/, "")} are exclusive`).not.toContain(
          name.replace(/_FILE$/, ""),
        );
        const upload = uploads.find((u) => u.file === path);
        expect(upload, `${c.name}: ${name} names an uploaded file`).toBeDefined();
        expect(upload?.content, `${c.name}: ${path} is a secret`).toBe("[secret]");
        expect(READER[name], `${name}: who reads it is recorded`).toBeDefined();
        expect(readable(upload?.permissions ?? "0000", READER[name]), `${c.name}: ${path} readable`).toBe(true);
      }
    }
    expect(fileVariables).toBe(3);
  });

  it("records every fact with the upstream file and function it was read from", () => {
    for (const fact of [...POSTGRES_IMAGE_FACTS, ...RUSTFS_FACTS]) {
      expect(fact.source.repository, fact.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(fact.source.ref, fact.id).not.toBe("");
      expect(fact.source.file, fact.id).not.toBe("");
      expect(fact.source.symbol, fact.id).not.toBe("");
    }
    expect(new Set(RUSTFS_FACTS.map((f) => f.id)).size).toBe(RUSTFS_FACTS.length);
    expect(new Set(POSTGRES_IMAGE_FACTS.map((f) => f.id)).size).toBe(POSTGRES_IMAGE_FACTS.length);
  });
});
