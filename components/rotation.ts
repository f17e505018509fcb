import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * Credential rotation, pure: the id of every credential this program generates, and how a rotation token
 * (config `stellaops-infra:rotation`, `{ <credential id>: <token> }`) reaches the generator.
 *
 * The token is the only keeper of the credential's RandomPassword/RandomString. terraform-provider-random
 * (@ f8d869dc98d9, the version pulumi-random 4.21 bridges; internal/planmodifiers/map/mapplanmodifiers.go,
 * RequiresReplaceIfValuesNotNull) replaces the resource, and so draws a new value, whenever a keeper value is
 * added, changed or removed, and leaves it alone when the keepers are unchanged. No token means no keepers at all,
 * so stacks that never rotate keep the credentials they have.
 */

/** `stellaops-infra:rotation`: credential id → token. */
export type RotationTokens = Readonly<Record<string, string>>;

export const NO_ROTATION: RotationTokens = {};

/** What a token may be: short, and safe in any state file, plan or log line. */
export const ROTATION_TOKEN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
export const ROTATION_TOKEN_RULE =
  "must be 1-40 letters, digits, dots, underscores or hyphens, starting with a letter or digit (e.g. 2026-12-01)";

/** Credential ids, one spelling for config validation, components and tests. */
export const rotationId = {
  /** The PostgreSQL superuser (Docker, CloudNativePG) or RDS master password. */
  postgresAdmin: "postgres.admin",
  /** A StellaOps service's PostgreSQL login role. */
  postgresRole: (service: string) => `postgres.roles.${service}`,
  /** A Valkey user the server itself needs (admin, healthcheck, replication, the disabled default user). */
  valkeyServerUser: (role: string) => `valkey.${role}`,
  /** A StellaOps application user of Valkey (the shared user or one per service), by its ACL user name. */
  valkeyAppUser: (user: string) => `valkey.users.${user}`,
  /** RustFS's root access key and secret key, rotated together. */
  objectStoreRoot: "objectStore.root",
  natsAdmin: "nats.admin",
  /** The password cluster routes authenticate with (Kubernetes, 2+ replicas). */
  natsRoute: "nats.route",
  natsAppUser: (user: string) => `nats.users.${user}`,
} as const;

/** The token for one credential, if the stack sets one. */
export function rotationToken(tokens: RotationTokens, id: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(tokens, id) ? tokens[id] : undefined;
}

/** The `keepers` input of a credential's random resource: none without a token (existing values stay). */
export function rotationKeepers(token: string | undefined): { keepers?: Record<string, string> } {
  return token === undefined ? {} : { keepers: { rotation: token } };
}

/** Credential ids a stack's config names that the stack does not have, for one ConfigError. */
export function unknownRotationIds(tokens: RotationTokens, allowed: readonly string[]): string[] {
  return Object.keys(tokens).filter((id) => !allowed.includes(id));
}

/**
 * A non-secret fingerprint of credentials (SHA-256 over each name and the SHA-256 of its value), for restart
 * triggers: a pod annotation, a Job name. It changes exactly when one of the credentials does and reveals none
 * of them (each is a generated, high-entropy string), so it may be shown in plans and on the cluster unsecret.
 */
export function credentialFingerprint(credentials: Readonly<Record<string, string>>): string {
  const lines = Object.keys(credentials)
    .sort()
    .map((name) => `${name}=${createHash("sha256").update(credentials[name]).digest("hex")}`);
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** credentialFingerprint over Outputs; the result is deliberately not secret (see above). */
export function credentialFingerprintOutput(
  credentials: Readonly<Record<string, pulumi.Input<string>>>,
): pulumi.Output<string> {
  return pulumi.unsecret(pulumi.all(credentials).apply((values) => credentialFingerprint(values)));
}
