import { describe, expect, it } from "vitest";
import { kubernetesAjv, schemaForObject, strictStructural } from "./crdSchema";

/** The Kubernetes keywords of CRD schemas, as the validator handles them. */

const validate = (schema: object, data: unknown) => {
  const check = kubernetesAjv().compile(strictStructural(schema as Record<string, unknown>).schema);
  return check(data);
};

describe("CRD schema keywords", () => {
  it("takes an integer or a string for x-kubernetes-int-or-string, nothing else", () => {
    const quantity = {
      type: "object",
      properties: { size: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] } },
    };
    expect(validate(quantity, { size: 3 })).toBe(true);
    expect(validate(quantity, { size: "10Gi" })).toBe(true);
    expect(validate(quantity, { size: 1.5 })).toBe(false);
    // Also without the anyOf a generator may leave out.
    const bare = { type: "object", properties: { port: { "x-kubernetes-int-or-string": true } } };
    expect(validate(bare, { port: "http" })).toBe(true);
    expect(validate(bare, { port: true })).toBe(false);
  });

  it("refuses fields the schema does not name (the API server would prune them), unless it keeps unknown fields", () => {
    const strict = { type: "object", properties: { a: { type: "string" } } };
    expect(validate(strict, { a: "x" })).toBe(true);
    expect(validate(strict, { a: "x", b: 1 })).toBe(false);
    const open = { ...strict, "x-kubernetes-preserve-unknown-fields": true };
    expect(validate(open, { a: "x", b: 1 })).toBe(true);
    const map = { type: "object", additionalProperties: { type: "string" } };
    expect(validate(map, { any: "x" })).toBe(true);
    expect(validate(map, { any: 1 })).toBe(false);
  });

  it("keeps list-type set items and list-type map keys unique", () => {
    const set = { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" };
    expect(validate(set, ["a", "b"])).toBe(true);
    expect(validate(set, ["a", "a"])).toBe(false);
    const map = {
      type: "array",
      items: { type: "object", properties: { name: { type: "string" }, v: { type: "string" } } },
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
    };
    expect(
      validate(map, [
        { name: "a", v: "1" },
        { name: "b", v: "1" },
      ]),
    ).toBe(true);
    expect(
      validate(map, [
        { name: "a", v: "1" },
        { name: "a", v: "2" },
      ]),
    ).toBe(false);
  });

  it("counts CEL rules it does not evaluate, and cuts a schema to the fields an object sets without changing the result", () => {
    const schema = {
      type: "object",
      required: ["a"],
      "x-kubernetes-validations": [{ rule: "self.a != 'x'" }],
      properties: { a: { type: "string" }, big: { type: "object", properties: { deep: { type: "integer" } } } },
    };
    const { schema: strict, celRules } = strictStructural(schema);
    expect(celRules).toBe(1);
    const cut = schemaForObject(strict, { a: "y" });
    expect(Object.keys(cut["properties"] as object)).toEqual(["a"]);
    expect(cut["required"]).toEqual(["a"]);
    expect(cut["additionalProperties"]).toBe(false);
    const check = (data: unknown) => kubernetesAjv().compile(schemaForObject(strict, data))(data);
    expect(check({ a: "y" })).toBe(true);
    expect(check({ a: "y", big: { deep: "no" } })).toBe(false);
    expect(check({ a: "y", typo: 1 })).toBe(false);
    expect(check({ big: {} })).toBe(false);
  });
});
