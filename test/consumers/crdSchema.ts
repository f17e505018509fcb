import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import { parse } from "yaml";

/**
 * Validates objects against a CustomResourceDefinition's `openAPIV3Schema` the way the API server treats them,
 * with ajv. Kubernetes adds keywords to OpenAPI v3 (apiextensions.k8s.io/v1 JSONSchemaProps, "Specifying a
 * structural schema" in the CRD docs):
 * - `x-kubernetes-int-or-string: true`: an integer or a string;
 * - `x-kubernetes-preserve-unknown-fields: true`: fields not in `properties` are kept;
 * - everywhere else the API server *prunes* fields a schema does not name, without an error. Pruning is how a
 *   misspelt field is lost silently, so here an unknown field is an error (`additionalProperties: false`) unless
 *   the schema keeps unknown fields or declares `additionalProperties` itself;
 * - `x-kubernetes-list-type: set` (items unique) and `map` with `x-kubernetes-list-map-keys` (keys unique);
 * - `x-kubernetes-map-type`, `x-kubernetes-embedded-resource`: shape hints with nothing to check here;
 * - `x-kubernetes-validations` (CEL rules): not evaluated; `celRules` counts them so a test can say so.
 * `format` (int32, int64, date-time, byte) is not checked. Pure apart from reading the CRD files.
 */

type Schema = Record<string, unknown>;

export interface CrdVersion {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  /** The strict structural schema and its CEL rule count, parsed on first use (the CRD files are megabytes). */
  readonly schema: () => { schema: Schema; celRules: number };
}

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Copy of a schema with unknown fields refused wherever the API server would prune them. */
export function strictStructural(schema: Schema): { schema: Schema; celRules: number } {
  let celRules = 0;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "x-kubernetes-validations" && Array.isArray(value)) celRules += value.length;
      // `properties` maps field names to schemas; `enum`/`default`/`example` are data, not schemas.
      if (key === "properties" && isObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([field, sub]) => [field, walk(sub)]));
      } else if (key === "enum" || key === "default" || key === "example" || key === "description") {
        out[key] = value;
      } else {
        out[key] = walk(value);
      }
    }
    const keepsUnknown = node["x-kubernetes-preserve-unknown-fields"] === true;
    if (isObject(node["properties"]) && node["additionalProperties"] === undefined && !keepsUnknown) {
      out["additionalProperties"] = false;
    }
    return out;
  };
  return { schema: walk(schema) as Schema, celRules };
}

function uniqueBy(items: unknown[], key: (item: unknown) => string): boolean {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
  }
  return true;
}

/** An ajv instance that knows the Kubernetes keywords. */
export function kubernetesAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  ajv.addKeyword({
    keyword: "x-kubernetes-int-or-string",
    schemaType: "boolean",
    validate: (on: boolean, data: unknown) => !on || Number.isInteger(data) || typeof data === "string",
    errors: false,
  });
  ajv.addKeyword({
    keyword: "x-kubernetes-list-type",
    schemaType: "string",
    validate: function listType(this: unknown, type: string, data: unknown, parent?: Schema) {
      if (!Array.isArray(data)) return true;
      if (type === "set") return uniqueBy(data, (item) => JSON.stringify(item));
      if (type === "map") {
        const keys = (parent?.["x-kubernetes-list-map-keys"] as string[] | undefined) ?? [];
        return uniqueBy(data, (item) => JSON.stringify(keys.map((k) => (isObject(item) ? item[k] : undefined))));
      }
      return true;
    },
    errors: false,
  });
  for (const keyword of [
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-validations",
  ]) {
    ajv.addKeyword({ keyword });
  }
  return ajv;
}

interface CrdDocument {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema?: { openAPIV3Schema?: Schema } }[];
  };
}

/**
 * Every version of every CRD in a directory of CRD YAML files. The group, kind and versions are read from the
 * file's text; the YAML is parsed only when a schema is first asked for.
 */
export function loadCrds(dir: string): CrdVersion[] {
  const out: CrdVersion[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    const text = readFileSync(join(dir, file), "utf8");
    const group = /^ {2}group: (\S+)$/m.exec(text)?.[1];
    const kind = /^ {2}names:\n(?: {4}.*\n)*? {4}kind: (\S+)$/m.exec(text)?.[1];
    if (!group || !kind) throw new Error(`${file}: no spec.group or spec.names.kind`);
    let parsed: CrdDocument | undefined;
    const doc = () => (parsed ??= parse(text) as CrdDocument);
    for (const [, version] of text.matchAll(/^ {2}- (?:additionalPrinterColumns:[\s\S]*?\n {4})?name: (\S+)$/gm)) {
      let structural: { schema: Schema; celRules: number } | undefined;
      out.push({
        group,
        kind,
        version,
        schema: () => {
          const raw = doc().spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
          if (!raw) throw new Error(`${file}: version ${version} has no openAPIV3Schema`);
          return (structural ??= strictStructural(raw));
        },
      });
    }
  }
  return out;
}

/** The CRD version an object's apiVersion and kind name; undefined when no CRD in the list defines it. */
export function crdFor(crds: readonly CrdVersion[], apiVersion: string, kind: string): CrdVersion | undefined {
  return crds.find((c) => `${c.group}/${c.version}` === apiVersion && c.kind === kind);
}

/**
 * The schema cut down to the fields an object sets: a schema under a property the object does not set cannot
 * fail, so leaving it out changes no result, and compiling a few kilobytes instead of CloudNativePG's whole
 * Cluster schema (seconds) keeps the tier fast. `additionalProperties: false` was set from the full property
 * list before the cut; arrays keep their item schemas whole.
 */
export function schemaForObject(schema: Schema, data: unknown): Schema {
  if (!isObject(data) || !isObject(schema["properties"])) return schema;
  const properties = schema["properties"];
  const kept = Object.fromEntries(
    Object.keys(data)
      .filter((key) => isObject(properties[key]))
      .map((key) => [key, schemaForObject(properties[key] as Schema, data[key])]),
  );
  return { ...schema, properties: kept };
}

/** Validation errors of an object against a CRD version (empty: valid). */
export function crdErrors(crd: CrdVersion, object: unknown, ajv: Ajv = kubernetesAjv()): string[] {
  const validate = ajv.compile(schemaForObject(crd.schema().schema, object));
  return validate(object) ? [] : describeErrors(validate.errors);
}

/** Readable ajv errors: `/spec/storage: must NOT have additional properties (sizee)`. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties" ? ` (${String(e.params["additionalProperty"])})` : "";
    return `${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra}`;
  });
}
