/** Computes the outputs a real provider would add to a resource's state (ids, endpoints, ARNs, generated values). */
export type FakeOutputs = (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;
export type FakeOutputTable = Readonly<Record<string, FakeOutputs>>;

/** Invoke results by token; anything not listed fails the test (a strict invoke mock). */
export type FakeInvoke = (inputs: Record<string, unknown>) => Record<string, unknown>;
export type FakeInvokeTable = Readonly<Record<string, FakeInvoke>>;
