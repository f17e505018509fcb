import type * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { rotationKeepers } from "./rotation";

/**
 * The one way this program generates a password: letters and digits only (`special: false`), so no connection
 * string, URL, env file, psql variable or RDS master password needs escaping (RDS refuses / " @ and spaces); 32
 * characters from [A-Za-z0-9] is about 190 bits, and well under bcrypt's 72-byte limit. The only keeper is the
 * credential's rotation token: the value changes when its token does, and never otherwise (its logical name is stable).
 */
export function generatePassword(
  name: string,
  opts: pulumi.CustomResourceOptions,
  rotationToken?: string,
  length = 32,
): random.RandomPassword {
  return new random.RandomPassword(name, { length, special: false, ...rotationKeepers(rotationToken) }, opts);
}
