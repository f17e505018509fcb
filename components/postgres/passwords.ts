import * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import { generatePassword } from "../password";
import { NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import type { PostgresLayout } from "./model";
import { stableScramVerifier } from "./scram";

/**
 * One generated password per service role (components/password.ts), renewed by the role's rotation token
 * (`rotation: { postgres.roles.<service>: <token> }`).
 */
export function rolePasswords(
  name: string,
  layout: PostgresLayout,
  opts: pulumi.CustomResourceOptions,
  rotation: RotationTokens = NO_ROTATION,
): Record<string, random.RandomPassword> {
  return Object.fromEntries(
    layout.roles.map((role) => [
      role.service,
      generatePassword(
        `${name}-password-${role.service}`,
        opts,
        rotationToken(rotation, rotationId.postgresRole(role.service)),
      ),
    ]),
  );
}

/** Each role's password as the SCRAM-SHA-256 verifier the server stores (stable, so no diff between runs); secret. */
export function roleVerifiers(
  layout: PostgresLayout,
  passwords: Record<string, random.RandomPassword>,
): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(
    layout.roles.map((role) => [
      role.service,
      pulumi.secret(passwords[role.service].result.apply((pw) => stableScramVerifier(role.name, pw))),
    ]),
  );
}

/** The server's superuser (Docker, CloudNativePG) or master (RDS) password, rotated by `postgres.admin`. */
export function adminPassword(
  name: string,
  parent: pulumi.Resource,
  rotation: RotationTokens = NO_ROTATION,
): random.RandomPassword {
  return generatePassword(name, { parent }, rotationToken(rotation, rotationId.postgresAdmin));
}
