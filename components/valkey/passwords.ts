import * as pulumi from "@pulumi/pulumi";
import { generatePassword } from "../password";
import { sha256Hex } from "./renderAcl";

/** A Valkey user's password and its SHA-256 hash (the form ACL files hold). Both are Pulumi secrets. */
export interface ValkeyPassword {
  readonly password: pulumi.Output<string>;
  readonly sha256: pulumi.Output<string>;
}

/** A generated password (components/password.ts), child of `parent`, with its hash. */
export function generatedPassword(name: string, parent: pulumi.Resource, rotationToken?: string): ValkeyPassword {
  return givenPassword(generatePassword(name, { parent }, rotationToken).result);
}

/** A password from config (`pulumi config set --secret`) or a generated one, as a secret with its hash. */
export function givenPassword(password: pulumi.Input<string>): ValkeyPassword {
  const secret = pulumi.secret(pulumi.output(password));
  return { password: secret, sha256: secret.apply(sha256Hex) };
}
