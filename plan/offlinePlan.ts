import * as pulumi from "@pulumi/pulumi";
import { installMocks, recorder, type ComputedOutputs } from "./engine/mocks";
import { assertUniqueUrns, redactSecrets, settle, unwrapSecrets, type RecordedResource } from "./engine/recorder";
import { PROJECT_ROOT, readStackConfig } from "./stackFiles";
import { markUnknowns, UNKNOWN } from "./unknown";

/**
 * The offline plan: evaluates index.ts for one stack under the recording mocks and returns the reviewer's view
 * of the desired state. Needs no Pulumi CLI, plugin, credential or state. Secrets appear only as "[secret]"; values
 * a provider computes, and everything built from them, as "[unknown]" (plan/unknown.ts), as `pulumi preview` of a
 * new stack shows them.
 * Format (stable: fields are only ever added):
 *   { project, stack, resources: [{ urn, type, name, custom, parent, provider, dependencies, propertyDependencies,
 *     inputs, options }], outputs }
 */

/** A recorded resource as the reviewer sees it: the same fields, inputs with "[secret]" and "[unknown]" markers. */
export interface PlanResource extends Omit<RecordedResource, "inputs"> {
  inputs: Record<string, unknown>;
}

export interface PlanDocument {
  project: string;
  stack: string;
  resources: PlanResource[];
  outputs: Record<string, unknown>;
}

export interface PlanOptions {
  /** Replace whole top-level config keys (full key → value) before evaluating, e.g. to toggle NATS. */
  overrides?: Record<string, unknown>;
  /** Directory holding Pulumi.yaml and the stack files (default: this project). */
  dir?: string;
  /**
   * Tests only: secret values in plain, in inputs and outputs alike (for asserting that a rotated credential
   * reaches every consumer). Never for a plan anyone prints.
   */
  revealSecrets?: boolean;
  /**
   * Tests only: computed outputs take the fake-outputs table's values instead of being unknown (for asserting on
   * what flows from a generated password or an endpoint into its consumers). Never for a plan anyone prints.
   */
  fakeOutputs?: boolean;
}

type Program = () => Promise<Record<string, unknown>>;

/**
 * Whether an Output's value is known. `isKnown` is not in the SDK's typings, but every Output has it (the SDK's own
 * serializer reads it); in a preview an unknown Output never runs `apply`, so waiting for its value would hang.
 */
function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isKnown: Promise<boolean> }).isKnown;
}

/**
 * Resolves Outputs anywhere in a value; secret ones (and anything under them) become "[secret]", unknown ones
 * "[unknown]".
 */
export async function resolveOutputs(value: unknown, revealSecrets = false): Promise<unknown> {
  const resolve = (v: unknown) => resolveOutputs(v, revealSecrets);
  if (pulumi.Output.isInstance(value)) {
    const output = value as pulumi.Output<unknown>;
    if (!revealSecrets && (await pulumi.isSecret(output))) return "[secret]";
    if (!(await isKnown(output))) return UNKNOWN;
    const inner = await new Promise<unknown>((done) => output.apply((v) => done(v)));
    return resolve(inner);
  }
  if (value instanceof Promise) return resolve(await value);
  if (pulumi.Resource.isInstance(value)) return undefined;
  if (Array.isArray(value)) return Promise.all(value.map(resolve));
  if (value !== null && typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)] as const));
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  return value;
}

async function loadProgram(): Promise<Program> {
  // Imported lazily: the mocks must be in place before any program module loads.
  const mod = (await import("../index")) as unknown as { default?: Program } | Program;
  return typeof mod === "function" ? mod : (mod.default as Program);
}

export async function planStack(stack: string, options: PlanOptions = {}): Promise<PlanDocument> {
  const { project, config, secretKeys } = readStackConfig(stack, options.dir);
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) delete config[key];
    else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const computed: ComputedOutputs = options.fakeOutputs ? "fakes" : "unknown";
  installMocks(project, stack, computed);
  recorder.reset();
  pulumi.runtime.setAllConfig(config, secretKeys);
  // The program reads the stack's settings file itself (plaintext secrets under a secret key); say where it is.
  // (Imported lazily, like the program: the mocks must be in place before any program module loads.)
  const { setStackFileRoot } = await import("../profiles/config");
  setStackFileRoot(options.dir ?? PROJECT_ROOT);

  const program = await loadProgram();
  const outputs = await withoutPromiseStackTraces(async () => {
    const exported = await program();
    const resolved = (await resolveOutputs(exported, options.revealSecrets)) as Record<string, unknown>;
    await settle(recorder);
    return resolved;
  });

  const resources = recorder.resources
    .map((r) => ({
      ...r,
      inputs: markUnknowns(options.revealSecrets ? unwrapSecrets(r.inputs) : redactSecrets(r.inputs)) as Record<
        string,
        unknown
      >,
    }))
    .sort((a, b) => a.urn.localeCompare(b.urn));
  assertUniqueUrns(resources);
  // Unit tests that build resources after a plan in the same file expect the unit tier's mocks back.
  if (computed === "unknown") installMocks(project, stack, "fakes");
  return { project, stack, resources, outputs };
}

/**
 * The SDK records `new Error().stack` on every promise it creates (runtime/debuggable.js), for leak reports the
 * offline plan never prints; with source-mapped stacks that is most of a plan's time (measured: a dev plan 1.5 s →
 * 0.5 s). Error messages are unaffected; STELLAOPS_PLAN_STACK_TRACES=1 keeps the traces for debugging the harness.
 */
async function withoutPromiseStackTraces<T>(run: () => Promise<T>): Promise<T> {
  if (process.env["STELLAOPS_PLAN_STACK_TRACES"] === "1") return run();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
