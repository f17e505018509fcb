import { describe, expect, it } from "vitest";
import { freeFormFact, unknownValuePaths, valuePaths, type FreeFormPath } from "./chartValuePaths";

/** The value-path check itself, on a small chart. */

const source = { repository: "example/chart", ref: "v1", file: "templates/x.yaml", symbol: "x" };
const FACTS: FreeFormPath[] = [
  { path: "labels.**", why: "rendered as they are", source },
  { path: "users.*.permissions", why: "one line per user", source },
];
const DEFAULTS = { image: { tag: "1" }, labels: {}, users: {}, replicas: 1, list: [] };

describe("chart value paths", () => {
  it("lists leaves, with arrays and empty maps as leaves", () => {
    expect(valuePaths({ a: { b: 1, c: [1, 2] }, d: {} })).toEqual([["a", "b"], ["a", "c"], ["d"]]);
  });

  it("accepts paths of values.yaml and recorded free-form maps", () => {
    const values = {
      image: { tag: "2" },
      labels: { "app.kubernetes.io/name": "x" },
      users: { alice: { permissions: "+@all" } },
      list: ["x"],
    };
    expect(unknownValuePaths(values, DEFAULTS, FACTS)).toEqual([]);
    expect(freeFormFact(FACTS, ["users", "bob", "permissions"])?.path).toBe("users.*.permissions");
  });

  it("reports a misspelt key, a key under a scalar, and a field a free-form entry does not take", () => {
    expect(
      unknownValuePaths(
        { image: { tagg: "2" }, replicas: { count: 2 }, users: { alice: { permission: "x" } } },
        DEFAULTS,
        FACTS,
      ),
    ).toEqual([
      'image.tagg: "tagg" is not a key of image in values.yaml',
      "replicas.count: replicas is not a map in values.yaml, so count under it is never read",
      'users.alice.permission: "alice" is not a key of users in values.yaml',
    ]);
  });
});
