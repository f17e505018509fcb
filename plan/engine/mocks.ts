import * as pulumi from "@pulumi/pulumi";
import { FAKE_INVOKES, FAKE_OUTPUTS } from "./fakes";
import { Recorder, SECRET_SIG, SIG_KEY } from "./recorder";

/**
 * Pulumi mocks for the unit tier and the offline plan: no CLI, no plugins, no network.
 * Resource outputs are the inputs plus the fake-outputs table; invokes not in the table fail loudly.
 */

export const recorder = new Recorder();

export class UnexpectedInvokeError extends Error {}

function secretWire(value: unknown): unknown {
  return { [SIG_KEY]: SECRET_SIG, value };
}

const mocks: pulumi.runtime.Mocks = {
  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const fake = FAKE_OUTPUTS[args.type]?.(args.name, args.inputs) ?? {};
    const state: Record<string, unknown> = { ...args.inputs, ...fake };
    // The engine marks additionalSecretOutputs secret; the mock monitor does not, so do it here.
    for (const key of recorder.secretOutputsByTypeAndName.get(`${args.type}::${args.name}`) ?? []) {
      if (key in state) state[key] = secretWire(state[key]);
    }
    const id = args.custom === false ? undefined : `${args.name}-id`;
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
};

/** Installs the mocks and the recorder. Call before any program module is imported. */
export function installMocks(project = "stellaops-infra", stack = "test"): void {
  void pulumi.runtime.setMocks(mocks, project, stack, false);
  const monitor = pulumi.runtime.getMonitor();
  if (!monitor) throw new Error("setMocks did not install a monitor");
  recorder.attach(monitor as unknown as Parameters<Recorder["attach"]>[0]);
}
