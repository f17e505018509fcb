import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, configKey, type ConfigProblem } from "./configErrors";
import type { StackFileConfig } from "./stackSettingsFile";

/**
 * Secret fields in the stack configuration are recognised by name, so every component follows one rule:
 * a field called `password`, `secretKey`, or ending in `Password`/`SecretKey` holds a secret.
 */
export function isSecretFieldName(name: string): boolean {
  return name === "password" || name === "secretKey" || /[a-z](Password|SecretKey)$/.test(name);
}

type SecretFieldName = "password" | "secretKey" | `${string}Password` | `${string}SecretKey`;

/** The parsed config type with every secret string field turned into a secret Output. */
export type Secretized<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer E)[]
    ? Secretized<E>[]
    : { [K in keyof T]: K extends SecretFieldName ? SecretOf<T[K]> : Secretized<T[K]> };

type SecretOf<V> = V extends string ? pulumi.Output<string> : V extends undefined ? undefined : V;

/** Wraps every secret field's value with pulumi.secret, so it never reaches a resource or output in plaintext. */
export function secretize<T>(value: T): Secretized<T> {
  return walk(value) as Secretized<T>;
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        isSecretFieldName(k) && typeof v === "string" ? pulumi.secret(v) : walk(v),
      ]),
    );
  }
  return value;
}

/**
 * Secret fields must have been set with `pulumi config set --secret`: a plaintext password in a stack file
 * would land in git. Pulumi marks the whole top-level key secret when any leaf under it is, so under a secret
 * top-level key only the stack's own settings file (`stackFile`, its `config:` map) shows a plaintext leaf; such a
 * leaf is refused only when the file is really its source, i.e. the program got that very value (values can also
 * come from ESC environments, `--config-file` or `--config`). No file, or a file that differs, refuses nothing.
 */
export function plaintextSecretProblems(
  obj: Readonly<Record<string, unknown>>,
  isSecretKey: (fullKey: string) => boolean,
  stackFile?: StackFileConfig,
): ConfigProblem[] {
  const paths: string[][] = [];
  for (const [top, value] of Object.entries(obj)) {
    if (!isSecretKey(`${CONFIG_NAMESPACE}:${top}`)) {
      paths.push(...secretFieldPaths(value, [top]));
      continue;
    }
    const written = stackFile?.[`${CONFIG_NAMESPACE}:${top}`] ?? stackFile?.[top];
    for (const path of secretFieldPaths(written, [top])) {
      if (valueAt(obj, path) === valueAt({ [top]: written }, path)) paths.push(path);
    }
  }
  return paths.map((path) => {
    const key = configKey(path);
    return {
      key,
      message: `holds a secret in plaintext; set it with \`pulumi config set --secret --path '${key.slice(CONFIG_NAMESPACE.length + 1)}'\``,
    };
  });
}

/** Paths of secret-named string leaves (array items by index). A `{secure: …}` leaf is no string. */
function secretFieldPaths(value: unknown, path: string[]): string[][] {
  if (value === null || typeof value !== "object") return [];
  const found: string[][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (isSecretFieldName(k) && typeof v === "string") found.push([...path, k]);
    else found.push(...secretFieldPaths(v, [...path, k]));
  }
  return found;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
