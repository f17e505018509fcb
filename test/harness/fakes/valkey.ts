import type { FakeInvokeTable, FakeOutputTable } from "./types";

/** Fake provider outputs for the valkey area: every output the program reads must be listed here. */
export const valkeyFakeOutputs: FakeOutputTable = {};

export const valkeyFakeInvokes: FakeInvokeTable = {};
