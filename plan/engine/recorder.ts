import * as pulumi from "@pulumi/pulumi";

/**
 * Records every resource the program registers, straight from the register-resource requests the SDK sends
 * to the (mock) monitor: type, name, parent, provider, declared dependencies, inputs and the resource options
 * a reviewer cares about. Pure bookkeeping: the mocks decide outputs, this only listens.
 */

/** Pulumi's wire markers (see @pulumi/pulumi runtime/rpc). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface RecordedOptions {
  protect: boolean | null;
  retainOnDelete: boolean | null;
  deleteBeforeReplace: boolean | null;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  additionalSecretOutputs: string[];
  /** URN of the resource whose deletion makes Pulumi skip deleting this one, or null. */
  deletedWith: string | null;
  /** How long the engine waits for each operation (e.g. "1200s"; "" = the provider's default), or null. */
  customTimeouts: { create: string; update: string; delete: string } | null;
}

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string | null;
  /** Provider reference as the engine sees it: `<provider urn>::<provider id>`. */
  provider: string | null;
  dependencies: string[];
  /**
   * Per input, the resources whose outputs flow into it (dependsOn is only in `dependencies`). Lets the plan diff
   * tell which kept resources read outputs of a replaced one.
   */
  propertyDependencies?: Record<string, string[]>;
  /** Inputs in wire form: secrets keep their marker (use unwrapSecrets / isSecret), resource references become URNs. */
  inputs: Record<string, unknown>;
  options: RecordedOptions;
}

/** Minimal view of the RegisterResourceRequest protobuf message (avoids importing generated proto typings). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap?(): { toArray(): [string, { getUrnsList(): string[] } | unknown][] };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDeletedwith(): string;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

interface RegisterResponse {
  getUrn(): string;
}

type Callback = (err: Error | null, resp?: RegisterResponse) => void;

interface MonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): unknown;
}

/** Resource references arrive as `{sig: RESOURCE_SIG, urn, ...}`; keep only the URN so records stay JSON. */
function normaliseWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseWire);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === RESOURCE_SIG) return obj["urn"];
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, normaliseWire(v)]));
  }
  return value;
}

function propertyDependencies(req: RegisterRequest): Record<string, string[]> {
  const entries = req.getPropertydependenciesMap?.().toArray() ?? [];
  const result: Record<string, string[]> = {};
  for (const [key, deps] of entries) {
    const urns = Array.isArray(deps)
      ? ((deps as unknown[])[0] as string[])
      : (deps as { getUrnsList(): string[] }).getUrnsList();
    if (urns.length > 0) result[key] = [...urns].sort();
  }
  return result;
}

export class Recorder {
  readonly resources: RecordedResource[] = [];
  /** Additional secret outputs per pending registration, so the mocks can mark them secret like the engine does. */
  readonly secretOutputsByTypeAndName = new Map<string, string[]>();
  /** Invoke tokens the strict invoke mock refused (the SDK loses the error text on the way back). */
  readonly unexpectedInvokes: string[] = [];
  private pending = 0;

  reset(): void {
    this.resources.length = 0;
    this.secretOutputsByTypeAndName.clear();
    this.unexpectedInvokes.length = 0;
  }

  get pendingRegistrations(): number {
    return this.pending;
  }

  /** Wraps the monitor that `pulumi.runtime.setMocks` installed. */
  attach(monitor: MonitorLike): void {
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, callback: Callback) => {
      this.pending++;
      this.secretOutputsByTypeAndName.set(`${req.getType()}::${req.getName()}`, req.getAdditionalsecretoutputsList());
      return original(req, (err, resp) => {
        this.pending--;
        if (!err && resp) this.resources.push(this.toRecord(req, resp.getUrn()));
        callback(err, resp);
      });
    };
  }

  private toRecord(req: RegisterRequest, urn: string): RecordedResource {
    return {
      urn,
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent() || null,
      provider: req.getProvider() || null,
      dependencies: [...req.getDependenciesList()].sort(),
      propertyDependencies: propertyDependencies(req),
      inputs: normaliseWire(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
      options: {
        protect: req.getProtect() ?? null,
        retainOnDelete: req.getRetainondelete() ?? null,
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : null,
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        deletedWith: req.getDeletedwith() || null,
        customTimeouts: recordedTimeouts(req.getCustomtimeouts()),
      },
    };
  }
}

function recordedTimeouts(
  timeouts: ReturnType<RegisterRequest["getCustomtimeouts"]>,
): RecordedOptions["customTimeouts"] {
  if (!timeouts) return null;
  const recorded = { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() };
  return recorded.create || recorded.update || recorded.delete ? recorded : null;
}

/** Waits until every registration the program started has reached the monitor and been answered. */
export async function settle(recorder: Recorder): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  for (let round = 0; round < 1000; round++) {
    if (runtime.waitForRPCs) await runtime.waitForRPCs();
    await new Promise((r) => setImmediate(r));
    if (recorder.pendingRegistrations === 0) {
      // One more turn: a registration answered just now may start dependent ones.
      await new Promise((r) => setImmediate(r));
      if (recorder.pendingRegistrations === 0 && (!runtime.waitForRPCs || (await idle(runtime.waitForRPCs)))) return;
    }
  }
  throw new Error("registrations did not settle");
}

async function idle(waitForRPCs: () => Promise<void>): Promise<boolean> {
  await waitForRPCs();
  return true;
}

export function isSecret(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Every string reachable in `value` outside secret markers (what would show in plaintext). */
export function plainStrings(value: unknown): string[] {
  if (isSecret(value)) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(plainStrings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(plainStrings);
  return [];
}

/** Replaces every secret marker with its value (for asserting on the value itself). */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return unwrapSecrets(obj["value"]);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Replaces every secret marker with the string "[secret]" (what the offline plan prints). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return "[secret]";
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

/** Two resources with one URN: the engine refuses the whole deployment; the mocks accept it silently. */
export class DuplicateUrnError extends Error {}

export function assertUniqueUrns(resources: readonly { urn: string }[]): void {
  const duplicates = [...new Set(resources.map((r) => r.urn).filter((urn, i, all) => all.indexOf(urn) !== i))];
  if (duplicates.length > 0) {
    throw new DuplicateUrnError(
      `the program registers ${duplicates.length === 1 ? "a resource" : "resources"} twice under one URN, which pulumi refuses: ${duplicates.join(", ")}`,
    );
  }
}
