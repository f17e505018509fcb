import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PostgresLayout } from "./layout";
import { stableScramVerifier } from "./scram";

/**
 * One generated password per service role. Alphanumeric (`special: false`) so connection strings and psql
 * variables need no escaping; 32 characters from [A-Za-z0-9] is about 190 bits. No keepers: a password changes
 * only when someone replaces its resource on purpose.
 */
export function rolePasswords(
  name: string,
  layout: PostgresLayout,
  opts: pulumi.CustomResourceOptions,
): Record<string, random.RandomPassword> {
  return Object.fromEntries(
    layout.roles.map((role) => [
      role.service,
      new random.RandomPassword(`${name}-password-${role.service}`, { length: 32, special: false }, opts),
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
