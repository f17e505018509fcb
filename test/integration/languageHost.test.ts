import { beforeAll, describe, expect, it } from "vitest";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { SIG_KEY, UNKNOWN_VALUE } from "../../plan/engine/recorder";
import { PROJECT_ROOT, readStackConfig } from "../../plan/stackFiles";
import { ROOT_STACK_TYPE, type Registration } from "../languageHost/fakeEngine";
import { runProgram, type ProgramRun } from "../languageHost/runProgram";

/**
 * The program as `pulumi preview` starts it: Pulumi's own entry point (@pulumi/pulumi/cmd/run) with the language
 * host's command line, environment and Pulumi.yaml's runtime options (so the TypeScript loader chosen there is
 * what runs), against the fake engine. It must register exactly what the offline plan shows for the same config.
 */

/** A resource and its parent ("(stack)" for the root): URNs as the engine makes them, and as the plan shows them. */
function engineView(r: Registration, stackUrn: string): string {
  return `${r.urn} under ${r.parent === "" || r.parent === stackUrn ? "(stack)" : r.parent}`;
}

function planView(r: PlanResource): string {
  return `${r.urn} under ${r.parent ?? "(stack)"}`;
}

/** A value the engine got in full: no unknown, secret, output value or resource reference anywhere inside. */
function plain(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return false;
  if (Array.isArray(value)) return value.every(plain);
  if (value !== null && typeof value === "object") {
    return !(SIG_KEY in value) && Object.values(value).every(plain);
  }
  return true;
}

describe("the dev stack through Pulumi's language-host entry point", () => {
  const { project, config, secretKeys } = readStackConfig("dev");
  let run: ProgramRun;
  let plan: PlanDocument;

  beforeAll(async () => {
    run = await runProgram({
      project,
      stack: "dev",
      rootDirectory: PROJECT_ROOT,
      config,
      configSecretKeys: secretKeys,
    });
    plan = await planStack("dev");
  }, 180_000);

  it("starts with the project's runtime options and ends cleanly", () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.logs.filter((l) => l.severity === "error" || l.severity === "warning")).toEqual([]);
    expect(run.invokes).toEqual([]);
    expect(run.shutdownSignalled).toBe(true);
    expect(run.rootUrn).toBe(`urn:pulumi:dev::${project}::${ROOT_STACK_TYPE}::${project}-dev`);
  });

  it("registers the resources of the offline plan: same URNs, same parents", () => {
    const registered = run.registrations.filter((r) => r.type !== ROOT_STACK_TYPE);
    expect(registered.map((r) => engineView(r, run.rootUrn)).sort()).toEqual(plan.resources.map(planView).sort());
  });

  it("sends the inputs the offline plan shows wherever a preview knows them", () => {
    const planned = new Map(plan.resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
    const compared: string[] = [];
    const differing: { resource: string; key: string; engine: unknown; plan: unknown }[] = [];
    for (const r of run.registrations.filter((reg) => reg.custom)) {
      const resource = `${r.type}::${r.name}`;
      const planInputs = planned.get(resource) ?? {};
      for (const [key, value] of Object.entries(r.inputs).filter(([, v]) => plain(v))) {
        compared.push(key);
        if (JSON.stringify(planInputs[key]) !== JSON.stringify(value)) {
          differing.push({ resource, key, engine: value, plan: planInputs[key] });
        }
      }
    }
    expect(differing).toEqual([]);
    // Config reaches the resources: most inputs are known at preview (images, ports, volumes, settings).
    expect(compared.length).toBeGreaterThan(100);
  });
});
