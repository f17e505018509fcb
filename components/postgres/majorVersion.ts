import { majorOf } from "../settingsCommon";
import type { SettingsProblem } from "../settingsProblem";

/**
 * PostgreSQL major versions: which major an image runs, and the config rules that keep `postgres.version`, the
 * image and the major-upgrade switch (`postgres.allowMajorUpgradeTo`) in agreement. Pure: no Pulumi.
 *
 * A data directory belongs to one major. Minor bumps change nothing here; a major change goes through each
 * platform's documented path (docs/postgres.md, "Major version upgrades"), and the guard (majorGuard.ts) refuses
 * it at `pulumi up` unless the switch names the new major.
 */

/** Where each platform's major-upgrade procedure is written down; the refusals name it. */
export const MAJOR_UPGRADE_PROCEDURE = {
  docker:
    'docs/postgres.md, "Major version upgrades: docker" (dump and restore, or pg_upgrade into the new major\'s directory, then set postgres.allowMajorUpgradeTo)',
  kubernetes:
    'docs/postgres.md, "Major version upgrades: kubernetes" (back up, then set postgres.allowMajorUpgradeTo: CloudNativePG upgrades offline in place)',
  aws: 'docs/postgres.md, "Major version upgrades: aws" (snapshot, then set postgres.allowMajorUpgradeTo: RDS upgrades in place)',
} as const;
export type MajorUpgradePlatform = keyof typeof MAJOR_UPGRADE_PROCEDURE;

/**
 * The PostgreSQL major an image reference states in its tag: `postgres:18.1`, `…/postgresql:18.1-system-trixie`,
 * `registry:5000/postgres:18@sha256:…` → 18. Undefined when the tag states none (no tag, `latest`, a digest only).
 * CloudNativePG reads the major from the tag the same way.
 */
export function imageTagMajor(image: string): number | undefined {
  const name = image.split("@")[0];
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return undefined;
  const match = /^(\d+)(?=$|[.\-_])/.exec(lastSegment.slice(colon + 1));
  return match ? Number(match[1]) : undefined;
}

/**
 * The image must run `postgres.version`'s major. On Docker the data mount path follows the version
 * (docker.ts dockerDataMountPath): an image of another major writes to an anonymous volume that the next container
 * replacement deletes. On Kubernetes, CloudNativePG takes the major from the image, so a mismatch would make the
 * cluster's major something other than the config says.
 */
export function imageMajorProblems(path: string[], image: string, version: string): SettingsProblem[] {
  const wanted = majorOf(version);
  const stated = imageTagMajor(image);
  if (stated === undefined) {
    return [
      {
        path,
        message: `must state its PostgreSQL major in the tag (e.g. postgres:${version} or postgres:${version}@sha256:<digest>), so it can be checked against postgres.version (${version})`,
      },
    ];
  }
  if (stated === wanted) return [];
  return [
    {
      path,
      message: `runs PostgreSQL ${stated} but postgres.version is ${version} (major ${wanted}): use a ${wanted} image, or for a major upgrade change postgres.version too and follow docs/postgres.md "Major version upgrades"`,
    },
  ];
}

/** The switch names the major being upgraded to; anything else (a stale value from an earlier upgrade) is refused. */
export function majorUpgradeSwitchProblems(
  allowMajorUpgradeTo: number | undefined,
  version: string,
  platform: MajorUpgradePlatform | "external",
): SettingsProblem[] {
  if (allowMajorUpgradeTo === undefined) return [];
  const path = ["postgres", "allowMajorUpgradeTo"];
  if (platform === "external") {
    return [{ path, message: "only for servers this program runs (docker, kubernetes, aws); remove it" }];
  }
  const wanted = majorOf(version);
  if (allowMajorUpgradeTo === wanted) return [];
  return [
    {
      path,
      message: `names major ${allowMajorUpgradeTo} but postgres.version is ${version}: set it to ${wanted} (the major being upgraded to) or remove it once the upgrade is done`,
    },
  ];
}

/**
 * RDS: a major upgrade left for the maintenance window keeps the instance in the old parameter group, so deleting
 * that group at the end of `pulumi up` fails (the group is in use). The switch therefore needs applyImmediately.
 */
export function rdsMajorUpgradeProblems(
  allowMajorUpgradeTo: number | undefined,
  applyImmediately: boolean,
): SettingsProblem[] {
  if (allowMajorUpgradeTo === undefined || applyImmediately) return [];
  return [
    {
      path: ["aws", "postgres", "applyImmediately"],
      message:
        "must be true while postgres.allowMajorUpgradeTo is set: an upgrade left for the maintenance window keeps the instance in the old parameter group, whose deletion then fails",
    },
  ];
}
