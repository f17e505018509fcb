import * as pulumi from "@pulumi/pulumi";
import { FAKE_INVOKES, FAKE_OUTPUTS } from "./fakes";
import { Recorder, SECRET_SIG, SIG_KEY, UNKNOWN_VALUE } from "./recorder";

/**
 * Pulumi mocks for the unit tier and the offline plan: no CLI, no plugins, no network.
 * Resource outputs are the inputs plus the fake-outputs table; invokes not in the table fail loudly.
 * The table's keys are the outputs a provider computes: as fakes (unit tests assert on the values flowing through
 * the program), or, for the offline plan, unknown as in `pulumi preview` of a new resource (see plan/unknown.ts).
 */

/** What a computed output is: the fake table's value, or unknown (a preview: `pulumi.runtime.isDryRun()` is true). */
export type ComputedOutputs = "fakes" | "unknown";

export const recorder = new Recorder();

export class UnexpectedInvokeError extends Error {}

function secretWire(value: unknown): unknown {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * In a preview, an output the provider computes is unknown unless it is an input the program set (a given name
 * stays known, as it does in `pulumi preview`), and so is a new resource's id; a provider's id stays known, so
 * provider references keep their `<urn>::<id>` form.
 */
function unknownOutputs(args: pulumi.runtime.MockResourceArgs, fake: Record<string, unknown>) {
  const computed = Object.keys(fake).filter((key) => args.inputs[key] === undefined);
  return Object.fromEntries(computed.map((key) => [key, UNKNOWN_VALUE]));
}

const mocksFor = (computed: ComputedOutputs): pulumi.runtime.Mocks => ({
  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const fake = FAKE_OUTPUTS[args.type]?.(args.name, args.inputs) ?? {};
    const outputs = computed === "unknown" ? unknownOutputs(args, fake) : fake;
    const state: Record<string, unknown> = { ...args.inputs, ...outputs };
    // The engine marks additionalSecretOutputs secret; the mock monitor does not, so do it here.
    for (const key of recorder.secretOutputsByTypeAndName.get(`${args.type}::${args.name}`) ?? []) {
      if (key in state) state[key] = secretWire(state[key]);
    }
    const knownId = computed === "fakes" || args.type.startsWith("pulumi:providers:");
    const id = args.custom === false || !knownId ? undefined : `${args.name}-id`;
    return { id, state };
  },
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const fake = FAKE_INVOKES[args.token];
    if (!fake) {
      recorder.unexpectedInvokes.push(args.token);
      throw new UnexpectedInvokeError(
        `unexpected invoke ${args.token}: the program must not call provider functions the tests do not know about`,
      );
    }
    return fake(args.inputs);
  },
});

/** Installs the mocks and the recorder. Call before any program module is imported. */
export function installMocks(project = "stellaops-infra", stack = "test", computed: ComputedOutputs = "fakes"): void {
  void pulumi.runtime.setMocks(mocksFor(computed), project, stack, computed === "unknown");
  const monitor = pulumi.runtime.getMonitor();
  if (!monitor) throw new Error("setMocks did not install a monitor");
  recorder.attach(monitor as unknown as Parameters<Recorder["attach"]>[0]);
}
