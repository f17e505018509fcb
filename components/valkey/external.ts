import * as pulumi from "@pulumi/pulumi";
import { ServerComponent, type ServerContract } from "../contract";
import { renderAclLine } from "./renderAcl";
import type { ValkeyAppUsers } from "./appUsers";
import type { ValkeyExternalSettings } from "./settings";

/** external.valkey as the profile hands it over: secret fields may already be secret Outputs. */
export type ValkeyExternalConfig = Omit<ValkeyExternalSettings, "adminPassword" | "appPassword"> & {
  readonly adminPassword: pulumi.Input<string>;
  readonly appPassword?: pulumi.Input<string>;
};

export interface ValkeyExternalServerArgs {
  readonly external: ValkeyExternalConfig;
  readonly appUsers: ValkeyAppUsers;
}

/**
 * An existing Valkey server: nothing is created. Two ways to give StellaOps its users:
 * - the operator manages the application user: valkey.appUser with external.valkey.appPassword (shared mode only);
 * - this program generates the application users' passwords and exports `appAclLines` (SHA-256 hashes only) for
 *   the operator to add to the server's ACL file and load with `ACL LOAD`; both ACL modes work.
 * Admin credentials come from config either way (they are not used to change the server).
 */
export class ValkeyExternalServer extends ServerComponent implements ServerContract {
  /** ACL file lines for the generated application users (hashes only); undefined when the operator manages them. */
  public readonly appAclLines: pulumi.Output<string> | undefined;

  constructor(name: string, args: ValkeyExternalServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:valkey:ExternalServer", name, {}, opts);
    const ext = args.external;
    this.serve({
      endpoint: { host: pulumi.output(ext.host), port: pulumi.output(ext.port) },
      admin: { username: pulumi.output(ext.adminUser), password: pulumi.secret(ext.adminPassword) },
      tls: pulumi.output(ext.tls),
    });
    const users = args.appUsers.users;
    this.appAclLines = args.appUsers.operatorManaged
      ? undefined
      : pulumi
          .all(users.map((u) => u.sha256))
          .apply((hashes) => users.map((u, i) => renderAclLine(u.user, hashes[i])).join("\n") + "\n");
    this.registerOutputs({ endpoint: this.endpoint, adminUsername: this.admin.username, tls: this.tls });
  }
}
