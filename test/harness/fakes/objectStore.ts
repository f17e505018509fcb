import type { FakeInvokeTable, FakeOutputTable } from "./types";

/** Fake provider outputs for the objectStore area: every output the program reads must be listed here. */
export const objectStoreFakeOutputs: FakeOutputTable = {};

export const objectStoreFakeInvokes: FakeInvokeTable = {};
