import * as pulumi from "@pulumi/pulumi";
import { generatePassword } from "../password";

/** A NATS user's password and its bcrypt hash (the only form the server's configuration holds). Both secret. */
export interface NatsPassword {
  readonly password: pulumi.Output<string>;
  readonly bcryptHash: pulumi.Output<string>;
}

/**
 * A generated password (components/password.ts), child of `parent`, with its bcrypt hash. The hash is computed once
 * by the provider and kept in state, so it does not change between runs and the server configuration stays stable;
 * both are new when the password's rotation token changes.
 */
export function generatedPassword(name: string, parent: pulumi.Resource, rotationToken?: string): NatsPassword {
  const resource = generatePassword(name, { parent }, rotationToken);
  return { password: pulumi.secret(resource.result), bcryptHash: pulumi.secret(resource.bcryptHash) };
}
