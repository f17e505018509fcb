import { SettingsError, type SettingsProblem } from "../settingsProblem";

/** Settings the Valkey components cannot honour; the message lists every problem with its key. */
export class ValkeyConfigError extends SettingsError {}

/**
 * Throws one ValkeyConfigError listing every problem, if there are any. The config loader has reported them already
 * (profiles/componentRules.ts), so in a component this is a safety net.
 */
export function throwOnProblems(problems: readonly SettingsProblem[]): void {
  if (problems.length > 0) throw new ValkeyConfigError(problems);
}
