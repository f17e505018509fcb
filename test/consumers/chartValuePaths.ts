import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { UpstreamSource } from "../../plan/types";

/**
 * Whether every value path the program sets exists in a chart's values.yaml. Helm merges our values over the
 * chart's and the templates read only the paths they know: a misspelt key is ignored without a word. Where a
 * chart takes a free-form map (any key below a path), that is a recorded fact with the template that reads it.
 * Pure apart from reading values.yaml.
 */

export interface FreeFormPath {
  /**
   * Dotted path pattern: `*` is one segment of any name (a map key the template ranges over), a final `**` is
   * anything below (a map the template renders or merges as it is).
   */
  readonly path: string;
  /** What the template does with it. */
  readonly why: string;
  readonly source: UpstreamSource;
}

/** Dotted paths of every leaf the values set; arrays and empty maps are leaves (Helm replaces them whole). */
export function valuePaths(values: unknown, prefix: readonly string[] = []): string[][] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [[...prefix]];
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length === 0) return [[...prefix]];
  return entries.flatMap(([key, value]) => valuePaths(value, [...prefix, key]));
}

function matches(pattern: string, path: readonly string[]): boolean {
  const parts = pattern.split(".");
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === "**") return i < path.length || i === parts.length - 1;
    if (i >= path.length) return false;
    if (parts[i] !== "*" && parts[i] !== path[i]) return false;
  }
  return parts.length === path.length;
}

/** The fact that allows a path chart defaults do not name; undefined when none does. */
export function freeFormFact(facts: readonly FreeFormPath[], path: readonly string[]): FreeFormPath | undefined {
  return facts.find((f) => matches(f.path, path));
}

export function readChartDefaults(valuesYaml: string): Record<string, unknown> {
  return (parse(readFileSync(valuesYaml, "utf8")) ?? {}) as Record<string, unknown>;
}

/**
 * The paths the chart's values.yaml does not have and no free-form fact allows, each with the reason:
 * `auth.aclUser.default.permissions: "aclUser" is not a key of auth in values.yaml`.
 */
export function unknownValuePaths(
  values: Record<string, unknown>,
  defaults: Record<string, unknown>,
  facts: readonly FreeFormPath[],
): string[] {
  const problems: string[] = [];
  for (const path of valuePaths(values)) {
    if (path.length === 0 || freeFormFact(facts, path)) continue;
    let node: unknown = defaults;
    for (let i = 0; i < path.length; i++) {
      const parent = path.slice(0, i).join(".") || "the top level";
      if (node === null || typeof node !== "object" || Array.isArray(node)) {
        problems.push(`${path.join(".")}: ${parent} is not a map in values.yaml, so ${path[i]} under it is never read`);
        break;
      }
      if (!Object.prototype.hasOwnProperty.call(node, path[i])) {
        problems.push(`${path.join(".")}: "${path[i]}" is not a key of ${parent} in values.yaml`);
        break;
      }
      node = (node as Record<string, unknown>)[path[i]];
    }
  }
  return problems;
}
