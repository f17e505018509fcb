import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { rotationKeepers } from "../rotation";

/** A NATS user's password and its bcrypt hash (the only form the server's configuration holds). Both secret. */
export interface NatsPassword {
  readonly password: pulumi.Output<string>;
  readonly bcryptHash: pulumi.Output<string>;
}

/**
 * A generated password, child of `parent`: letters and digits only (it goes into URLs and env files unescaped),
 * 32 characters (well under bcrypt's 72-byte limit). The hash is computed once by the provider and kept in
 * state, so it does not change between runs and the server configuration stays stable; both are new when the
 * password's rotation token changes.
 */
export function generatedPassword(name: string, parent: pulumi.Resource, rotationToken?: string): NatsPassword {
  const resource = new random.RandomPassword(
    name,
    { length: 32, special: false, ...rotationKeepers(rotationToken) },
    { parent },
  );
  return { password: pulumi.secret(resource.result), bcryptHash: pulumi.secret(resource.bcryptHash) };
}
