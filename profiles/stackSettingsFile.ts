import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * The stack's own settings file (Pulumi.<stack>.yaml), read at load for one reason: Pulumi marks a whole top-level
 * config key secret when any leaf under it is `secure:`, so only the file shows which leaves were written in
 * plaintext. Where the file lives follows the CLI (pulumi/pulumi @ 01c4ec37, sdk/go/common/workspace/paths.go,
 * ProjectStackPath): beside the project file, or under its `stackConfigDir`, named `Pulumi.<stack>` with the
 * project file's extension, a `/` in the stack name written as `-`.
 */

/** The `config:` map of a stack settings file, keys as written there (e.g. `stellaops-infra:docker`). */
export type StackFileConfig = Readonly<Record<string, unknown>>;

/** The stack's settings file, or undefined when there is none to read (absent, unreadable, not YAML). */
export type StackFileReader = (stack: string) => StackFileConfig | undefined;

const PROJECT_FILE_EXTENSIONS = [".yaml", ".yml", ".json"];

type Yaml = Record<string, unknown>;

function isObject(value: unknown): value is Yaml {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Parsed YAML (JSON is YAML), or undefined: this reader never fails a load, the CLI has already read the file. */
function readYaml(path: string): unknown {
  try {
    return parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** Reads stack settings files of the project whose Pulumi.yaml is in `rootDirectory`. */
export function stackFileReaderAt(rootDirectory: string): StackFileReader {
  return (stack) => {
    if (rootDirectory === "" || !/^[A-Za-z0-9_.\-/]+$/.test(stack) || stack.split("/").includes("..")) return undefined;
    const ext = PROJECT_FILE_EXTENSIONS.find((e) => existsSync(join(rootDirectory, `Pulumi${e}`)));
    if (ext === undefined) return undefined;
    const project = readYaml(join(rootDirectory, `Pulumi${ext}`));
    const configDir =
      isObject(project) && typeof project["stackConfigDir"] === "string" ? project["stackConfigDir"] : "";
    const file = readYaml(join(rootDirectory, configDir, `Pulumi.${stack.replaceAll("/", "-")}${ext}`));
    return isObject(file) && isObject(file["config"]) ? file["config"] : undefined;
  };
}
