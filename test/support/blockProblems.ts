import type { z } from "zod";
import type { SettingsProblem } from "../../components/settingsProblem";

/** What a settings block's schema refuses (its types and formats, and its own rules), with paths relative to it. */
export function blockProblems(schema: z.ZodType, input: unknown): SettingsProblem[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path as (string | number)[], message: issue.message }));
}
