import type { FakeInvokeTable, FakeOutputTable } from "./types";

/** Fake provider outputs for the postgres area: every output the program reads must be listed here. */
export const postgresFakeOutputs: FakeOutputTable = {};

export const postgresFakeInvokes: FakeInvokeTable = {};
