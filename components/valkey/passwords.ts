import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { rotationKeepers } from "../rotation";
import { sha256Hex } from "./acl";

/** A Valkey user's password and its SHA-256 hash (the form ACL files hold). Both are Pulumi secrets. */
export interface ValkeyPassword {
  readonly password: pulumi.Output<string>;
  readonly sha256: pulumi.Output<string>;
}

/**
 * A generated password, child of `parent`: letters and digits only (connection strings need no escaping),
 * stable across runs because its logical name is; a new one when its rotation token changes.
 */
export function generatedPassword(name: string, parent: pulumi.Resource, rotationToken?: string): ValkeyPassword {
  const resource = new random.RandomPassword(
    name,
    { length: 32, special: false, ...rotationKeepers(rotationToken) },
    { parent },
  );
  return givenPassword(resource.result);
}

/** A password from config (`pulumi config set --secret`) or a generated one, as a secret with its hash. */
export function givenPassword(password: pulumi.Input<string>): ValkeyPassword {
  const secret = pulumi.secret(pulumi.output(password));
  return { password: secret, sha256: secret.apply(sha256Hex) };
}
