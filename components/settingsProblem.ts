import type { RefinementCtx, core } from "zod";

/**
 * A setting the program cannot honour, found by a pure check. Each rule has one home: a rule about one config block
 * lives in that block's settings schema, a rule across blocks in profiles/componentRules.ts or profiles/clashRules.ts.
 * Components receive settings that passed both and do not check them again.
 */
export interface SettingsProblem {
  /**
   * The config path relative to the block the check reads, e.g. ["readGrants", 0, "schema"] for the `postgres`
   * block; whoever knows where the block sits prefixes it once (`underKey`, or zod for a schema).
   */
  readonly path: readonly (string | number)[];
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** `postgres.readGrants[0].schema` from ["postgres", "readGrants", 0, "schema"]; digit-only parts below the top are indexes. */
export function settingsKey(path: readonly PropertyKey[]): string {
  return path
    .map(String)
    .map((part, i) => (i === 0 ? part : /^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join("");
}

/** The problems of a block, under the block's own key (["postgres"] + ["readGrants", 0] = postgres.readGrants[0]). */
export function underKey(
  prefix: readonly (string | number)[],
  problems: readonly SettingsProblem[],
): SettingsProblem[] {
  return problems.map((p) => ({ path: [...prefix, ...p.path], message: p.message }));
}

/** Settings a component refuses: the message lists every problem, one `key: message` line each. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly SettingsProblem[]) {
    super(problems.map((p) => `${settingsKey(p.path)}: ${p.message}`).join("\n"));
    this.name = new.target.name;
  }
}

/**
 * A block's own rules as the refinement of its settings schema (`schema.superRefine(refinedBy(rules))`): each
 * problem becomes an issue at its path, which zod prefixes with the block's place in the config. The rules run only
 * on a block whose fields all passed their own checks: zod would run them after a failed format check too, and a
 * value refused once would be refused again in other words. Their issues are marked (isBlockRuleIssue): the block's
 * values are well-formed, so the rules across blocks can still run on them and the loader reports both at once.
 */
export function refinedBy<T>(rules: (settings: T) => readonly SettingsProblem[]) {
  return (settings: T, ctx: RefinementCtx<T>): void => {
    if (ctx.issues.length > 0) return;
    for (const problem of rules(settings))
      ctx.addIssue({ code: "custom", message: problem.message, path: [...problem.path], params: BLOCK_RULE });
  };
}

const BLOCK_RULE = { blockRule: true } as const;

/** An issue a block rule (refinedBy) raised, as opposed to a value its schema could not parse or check. */
export function isBlockRuleIssue(issue: core.$ZodRawIssue): boolean {
  return issue.code === "custom" && issue.params?.["blockRule"] === true;
}

/** Throws one SettingsError listing every problem, if there are any. */
export function throwOnProblems(problems: readonly SettingsProblem[]): void {
  if (problems.length > 0) throw new SettingsError(problems);
}
