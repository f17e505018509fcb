import { coreFakeInvokes, coreFakeOutputs } from "./core";
import { natsFakeInvokes, natsFakeOutputs } from "./nats";
import { objectStoreFakeInvokes, objectStoreFakeOutputs } from "./objectStore";
import { postgresFakeInvokes, postgresFakeOutputs } from "./postgres";
import type { FakeInvokeTable, FakeOutputTable } from "./types";
import { valkeyFakeInvokes, valkeyFakeOutputs } from "./valkey";

export const FAKE_OUTPUTS: FakeOutputTable = {
  ...coreFakeOutputs,
  ...postgresFakeOutputs,
  ...valkeyFakeOutputs,
  ...objectStoreFakeOutputs,
  ...natsFakeOutputs,
};

export const FAKE_INVOKES: FakeInvokeTable = {
  ...coreFakeInvokes,
  ...postgresFakeInvokes,
  ...valkeyFakeInvokes,
  ...objectStoreFakeInvokes,
  ...natsFakeInvokes,
};
