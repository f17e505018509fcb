import * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import { MAJOR_UPGRADE_PROCEDURE, type MajorUpgradePlatform } from "./majorVersion";

/**
 * The running PostgreSQL major, kept in Pulumi state, and the refusal of a major change nobody asked for.
 *
 * The program itself has no state, so it cannot tell a first deployment of 19 from a change 18 → 19. This
 * command resource can: it prints the major it was run for, and the command provider hands that output to the
 * next run as PULUMI_COMMAND_STDOUT (pulumi/pulumi-command @ v1.2.1, provider/pkg/provider/local/commandOutputs.go).
 * The server resources (container, Cluster, parameter group and instance) depend on it, so a refused change stops
 * `pulumi up` before anything touches the server. Its inputs change only with the major or the switch: minor bumps
 * never run it. Only validated integers and constant text reach the shell, through the environment.
 */
export const MAJOR_GUARD_SCRIPT = [
  "set -eu",
  'previous=$(printf %s "${PULUMI_COMMAND_STDOUT:-}" | tr -d "[:space:]")',
  'if [ -z "$previous" ] || [ "$previous" = "$MAJOR" ]; then echo "$MAJOR"; exit 0; fi',
  'if [ "$MAJOR" -gt "$previous" ] && [ "${ALLOW_MAJOR_UPGRADE_TO:-}" = "$MAJOR" ]; then echo "$MAJOR"; exit 0; fi',
  'echo "refused: PostgreSQL runs major $previous and the config asks for $MAJOR. A major change is not an in-place' +
    ' edit: follow $PROCEDURE; to undo, set postgres.version back to a $previous release." >&2',
  "exit 1",
].join("\n");

export interface MajorGuardArgs {
  /** `postgres.version`'s major. */
  readonly major: number;
  /** `postgres.allowMajorUpgradeTo`, already checked to equal `major` when set. */
  readonly allowMajorUpgradeTo?: number;
  readonly platform: MajorUpgradePlatform;
}

/** The environment the guard script reads; pure, so tests run the script with exactly what the resource passes. */
export function majorGuardEnvironment(args: MajorGuardArgs): Record<string, string> {
  return {
    MAJOR: String(args.major),
    ...(args.allowMajorUpgradeTo !== undefined ? { ALLOW_MAJOR_UPGRADE_TO: String(args.allowMajorUpgradeTo) } : {}),
    PROCEDURE: MAJOR_UPGRADE_PROCEDURE[args.platform],
  };
}

/** The guard resource, `${name}-major-guard`, under `parent`. Runs on the machine that runs `pulumi up` (POSIX sh). */
export function majorVersionGuard(name: string, args: MajorGuardArgs, parent: pulumi.Resource): command.local.Command {
  return new command.local.Command(
    `${name}-major-guard`,
    {
      create: MAJOR_GUARD_SCRIPT,
      update: MAJOR_GUARD_SCRIPT,
      interpreter: ["/bin/sh", "-c"],
      environment: majorGuardEnvironment(args),
      addPreviousOutputInEnv: true,
    },
    { parent },
  );
}
