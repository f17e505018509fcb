/**
 * A Valkey setting the components cannot honour, with its config path from the root (`aws.valkey.nodes`), so the
 * config loader can report it next to the key and the components can refuse it with the same words.
 */
export interface ValkeyProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/** `aws.valkey.engineVersion` from ["aws", "valkey", "engineVersion"]. */
export function valkeyKey(path: readonly string[]): string {
  return path.join(".");
}

/** Settings the Valkey components cannot honour; the message lists every problem with its key. */
export class ValkeyConfigError extends Error {
  constructor(readonly problems: readonly ValkeyProblem[]) {
    super(problems.map((p) => `${valkeyKey(p.path)}: ${p.message}`).join("\n"));
    this.name = "ValkeyConfigError";
  }
}

/**
 * Throws one ValkeyConfigError listing every problem, if there are any. The config loader has reported them already
 * (profiles/componentRules.ts), so in a component this is a safety net.
 */
export function throwOnProblems(problems: readonly ValkeyProblem[]): void {
  if (problems.length > 0) throw new ValkeyConfigError(problems);
}
