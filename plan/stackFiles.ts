import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";

/**
 * Reads a stack's configuration the way the Pulumi CLI hands it to the program: Pulumi.yaml defaults
 * overlaid by Pulumi.<stack>.yaml, every key namespaced, structured values as JSON. `secure:` values cannot
 * be decrypted offline, so they become a placeholder and their key is marked secret (as the CLI would).
 */

export const PROJECT_ROOT = join(__dirname, "..");
/** Stands in for values set with `--secret`; the plan shows it only as "[secret]". */
export const SECRET_PLACEHOLDER = "offline-plan-secret-placeholder";

export interface StackConfigInput {
  project: string;
  config: Record<string, string>;
  secretKeys: string[];
}

/** A stack or project file that cannot be read as Pulumi would: missing, or not valid YAML. */
export class StackFileError extends Error {}
export class UnknownStackError extends StackFileError {}

export function exampleStacks(root = PROJECT_ROOT): string[] {
  return readdirSync(root)
    .map((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

type Yaml = Record<string, unknown>;

function readYaml(path: string): Yaml {
  let parsed: unknown;
  try {
    // The yaml library's default alias limit stops alias bombs ("billion laughs"); say which file it was.
    parsed = parse(readFileSync(path, "utf8"));
  } catch (err) {
    const reason = err instanceof Error ? (err.message.split("\n")[0] ?? err.message) : String(err);
    throw new StackFileError(`${basename(path)} is not a stack file Pulumi can read: ${reason}`);
  }
  return parsed !== null && typeof parsed === "object" ? (parsed as Yaml) : {};
}

/** A `{secure: <ciphertext>}` leaf of a stack file. */
export function isSecure(value: unknown): value is { secure: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Yaml)["secure"] === "string" &&
    Object.keys(value as Yaml).length === 1
  );
}

/** What a `secure:` value becomes: the placeholder offline, or its plaintext when a test holds the passphrase. */
export type SecureValueReader = (ciphertext: string) => string;
const placeholder: SecureValueReader = () => SECRET_PLACEHOLDER;

/** Replaces `{secure: …}` leaves with what `read` gives; reports whether any were found. */
function stripSecure(value: unknown, read: SecureValueReader): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: read(value.secure), secret: true };
  if (Array.isArray(value)) {
    const items = value.map((v) => stripSecure(v, read));
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Yaml).map(([k, v]) => [k, stripSecure(v, read)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])),
      secret: entries.some(([, v]) => v.secret),
    };
  }
  return { value, secret: false };
}

function namespaced(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function readStackConfig(
  stack: string,
  root: string = PROJECT_ROOT,
  read: SecureValueReader = placeholder,
): StackConfigInput {
  const stackFile = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(stackFile)) {
    const known = exampleStacks(root);
    throw new UnknownStackError(
      `unknown stack "${stack}": no Pulumi.${stack}.yaml; known stacks: ${known.join(", ") || "none"}`,
    );
  }
  const projectFile = readYaml(join(root, "Pulumi.yaml"));
  const project = String(projectFile["name"]);
  const config: Record<string, string> = {};
  const secretKeys = new Set<string>();

  // Project-level defaults: `key: value`, or `key: { default: value }` / `{ value: value }`.
  for (const [key, spec] of Object.entries((projectFile["config"] as Yaml | undefined) ?? {})) {
    const specObj = spec !== null && typeof spec === "object" && !Array.isArray(spec) ? (spec as Yaml) : undefined;
    const value =
      specObj && ("value" in specObj || "default" in specObj) ? (specObj["value"] ?? specObj["default"]) : spec;
    if (value !== undefined) config[namespaced(project, key)] = asConfigString(value);
  }
  for (const [key, raw] of Object.entries((readYaml(stackFile)["config"] as Yaml | undefined) ?? {})) {
    const fullKey = namespaced(project, key);
    const { value, secret } = stripSecure(raw, read);
    config[fullKey] = asConfigString(value);
    if (secret) secretKeys.add(fullKey);
  }
  return { project, config, secretKeys: [...secretKeys].sort() };
}
