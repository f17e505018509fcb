import type { FakeInvokeTable, FakeOutputTable } from "./types";

/** Fake provider outputs for the nats area: every output the program reads must be listed here. */
export const natsFakeOutputs: FakeOutputTable = {};

export const natsFakeInvokes: FakeInvokeTable = {};
