import { describe, expect, it } from "vitest";
import { coreFakeOutputs } from "../../plan/engine/fakes/core";
import { natsFakeOutputs } from "../../plan/engine/fakes/nats";
import { objectStoreFakeOutputs } from "../../plan/engine/fakes/objectStore";
import { postgresFakeOutputs } from "../../plan/engine/fakes/postgres";
import { valkeyFakeOutputs } from "../../plan/engine/fakes/valkey";

/** fakes/index.ts spreads the tables into one: a token in two tables is one fake silently shadowing the other. */
describe("fake provider outputs", () => {
  it("list each resource type in one table only", () => {
    const tables = {
      core: coreFakeOutputs,
      postgres: postgresFakeOutputs,
      valkey: valkeyFakeOutputs,
      objectStore: objectStoreFakeOutputs,
      nats: natsFakeOutputs,
    };
    const owners = new Map<string, string[]>();
    for (const [table, fakes] of Object.entries(tables)) {
      for (const token of Object.keys(fakes)) owners.set(token, [...(owners.get(token) ?? []), table]);
    }
    expect([...owners].filter(([, in_]) => in_.length > 1)).toEqual([]);
  });
});
