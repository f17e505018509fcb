/**
 * Broken promises this tier finds today that other branches of issue 13 fix. Each entry names the edit, the
 * stack, the violation it expects and the item that fixes it. The tier asserts every other violation away,
 * and asserts that each entry still happens: once the fix is merged its entry fails as stale, and the lead
 * deletes it. Empty this list at merge; never add an entry to hide a new problem.
 */

export interface OpenElsewhere {
  edit: string;
  stack: string;
  kind: string;
  /** Matches the violation's `type name`. */
  resource: RegExp;
  /** Issue 13 item and branch that fix it. */
  fixedBy: string;
}

export const OPEN_ELSEWHERE: readonly OpenElsewhere[] = [];
