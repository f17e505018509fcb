import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { generatePassword } from "../password";
import { rotationKeepers } from "../rotation";

/** What the rustfs/rustfs image fixes (its Dockerfile and entrypoint), shared by the Docker and Kubernetes servers. */
export const RUSTFS_UID = 10001;
export const RUSTFS_DATA_DIR = "/data";
/** Where the Docker container finds its root keys (uploaded files; see rustfsFacts.ts for who reads them). */
export const RUSTFS_ACCESS_KEY_PATH = "/etc/stellaops/rustfs-access-key";
export const RUSTFS_SECRET_KEY_PATH = "/etc/stellaops/rustfs-secret-key";
/**
 * RustFS asks version.rustfs.com for updates at start-up unless told not to: an outbound call no server of a
 * sealed site may make, and one nobody should need from a storage server, so it is off everywhere.
 */
export const RUSTFS_NO_UPDATE_CHECK = { name: "RUSTFS_CHECK_UPDATE", value: "false" } as const;

/** Root credentials of a RustFS server this program runs. Both are Pulumi secrets. */
export interface RustfsCredentials {
  readonly accessKey: pulumi.Output<string>;
  readonly secretKey: pulumi.Output<string>;
}

/**
 * Generated root credentials, children of `parent`, stable across runs because their logical names are. The
 * access key is 20 upper-case letters and digits (AWS's shape), so it can never be the public default
 * `rustfsadmin`; the secret key is 40 letters and digits (no characters an env file or URL would need escaped).
 * One rotation token (`objectStore.root`) renews both: RustFS has one root identity.
 */
export function generatedRustfsCredentials(
  name: string,
  parent: pulumi.Resource,
  rotationToken?: string,
): RustfsCredentials {
  const keepers = rotationKeepers(rotationToken);
  const accessKey = new random.RandomString(
    `${name}-access-key`,
    { length: 20, special: false, lower: false, upper: true, numeric: true, ...keepers },
    { parent },
  );
  const secretKey = generatePassword(`${name}-secret-key`, { parent }, rotationToken, 40);
  return { accessKey: pulumi.secret(accessKey.result), secretKey: pulumi.secret(secretKey.result) };
}
