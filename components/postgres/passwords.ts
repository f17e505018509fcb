import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { NO_ROTATION, rotationId, rotationKeepers, rotationToken, type RotationTokens } from "../rotation";
import type { PostgresLayout } from "./layout";
import { stableScramVerifier } from "./scram";

/**
 * One generated password per service role. Alphanumeric (`special: false`) so connection strings and psql
 * variables need no escaping; 32 characters from [A-Za-z0-9] is about 190 bits. The only keeper is the role's
 * rotation token (`rotation: { postgres.roles.<service>: <token> }`): a password changes when its token does.
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
      new random.RandomPassword(
        `${name}-password-${role.service}`,
        {
          length: 32,
          special: false,
          ...rotationKeepers(rotationToken(rotation, rotationId.postgresRole(role.service))),
        },
        opts,
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
  return new random.RandomPassword(
    name,
    // RDS refuses / " @ and spaces; alphanumeric avoids every escaping question on every platform.
    { length: 32, special: false, ...rotationKeepers(rotationToken(rotation, rotationId.postgresAdmin)) },
    { parent },
  );
}
