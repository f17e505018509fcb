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

const MAJOR_UPGRADES =
  "item 10 (PostgreSQL major upgrades per platform: refuse on Docker, an explicit switch on CloudNativePG)";
const RETAINED_ROLES = "item 2 (owner roles get the stateful options of the schemas they own)";

export const OPEN_ELSEWHERE: readonly OpenElsewhere[] = [
  // Docker: the new major's image mounts the data at another path; nothing refuses or warns.
  { edit: "postgres-major", stack: "dev", kind: "silent-major", resource: /^dev$/, fixedBy: MAJOR_UPGRADES },
  { edit: "postgres-major", stack: "airgap", kind: "silent-major", resource: /^airgap$/, fixedBy: MAJOR_UPGRADES },
  // CloudNativePG upgrades in place on an imageName change: a major needs the explicit, documented path.
  { edit: "postgres-major", stack: "k8s", kind: "silent-major", resource: /^k8s$/, fixedBy: MAJOR_UPGRADES },
  // The owner role of the removed service's schemas is dropped (DROP ROLE fails: it still owns their objects).
  ...["prod", "airgap", "external"].map((stack) => ({
    edit: "remove-optional-service",
    stack,
    kind: "deletes-data",
    resource: /^postgresql:index\/role:Role postgres-layout-role-evidence-locker$/,
    fixedBy: RETAINED_ROLES,
  })),
];
