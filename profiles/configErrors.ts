import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { settingsKey } from "../components/settingsProblem";

export const CONFIG_NAMESPACE = "stellaops-infra";

/** One problem in the stack configuration: the full config key and what is allowed there. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * Invalid stack configuration. A RunError, so `pulumi preview`/`up` print the message without a stack trace.
 * The message lists every problem at once, each with its key.
 */
export class ConfigError extends pulumi.RunError {
  constructor(
    readonly stack: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(stack, problems));
    this.name = "ConfigError";
  }
}

/**
 * Control and bidirectional-formatting characters as `\u…` escapes: keys and messages can carry text from the stack
 * file (an unknown key, a service id), which must not move the terminal's cursor or reorder what the reader sees.
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map((p) => `  - ${printable(p.key)}: ${printable(p.message)}`);
  return [
    `Invalid configuration for stack "${printable(stack)}" (${count}):`,
    ...lines,
    `Fix them with \`pulumi config set\` (or in Pulumi.${stack}.yaml) and run again.`,
  ].join("\n");
}

/** `stellaops-infra:postgres.version` from a path like ["postgres", "version"]. */
export function configKey(path: readonly PropertyKey[]): string {
  return `${CONFIG_NAMESPACE}:${path.length === 0 ? "<root>" : settingsKey(path)}`;
}

/** Turns zod issues into operator-facing problems: key, and what is allowed (never the offending value). */
export function problemsFromZod(
  error: z.ZodError,
  allowedKeysAt: (path: readonly PropertyKey[]) => string[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(issue.path);
      for (const key of issue.keys) {
        problems.push({
          key: configKey([...issue.path, key]),
          message: `unknown key${allowed.length ? `; allowed here: ${allowed.join(", ")}` : ""}`,
        });
      }
      continue;
    }
    if (issue.code === "invalid_union" && issue.path.length === 1 && issue.path[0] === "profile") {
      problems.push({ key: configKey(["profile"]), message: "must be one of docker, kubernetes, aws, external" });
      continue;
    }
    // zod says "expected object, received undefined"; an operator needs to hear that the key is missing.
    const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
    problems.push({
      key: configKey(issue.path),
      message: missing ? `required: expected ${issue.expected}` : issue.message,
    });
  }
  return problems;
}
