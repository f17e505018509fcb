import * as pulumi from "@pulumi/pulumi";
import { appAclUsers, type AclUser } from "./model";
import { NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import { generatedPassword, givenPassword, type ValkeyPassword } from "./passwords";
import type { ValkeySettings } from "./settings";

export interface ValkeyAppUsersArgs {
  /** Plain settings: the ACL mode decides how many users (and passwords) exist. */
  readonly settings: ValkeySettings;
  /** Optional StellaOps services enabled in this deployment (catalog ids). */
  readonly enabledOptionalServices?: readonly string[];
  /**
   * An existing server whose application user the operator manages: that user's password (external.valkey.appPassword).
   * Shared mode only; no password is generated then.
   */
  readonly operatorManagedPassword?: pulumi.Input<string>;
  /** `stellaops-infra:rotation`: `valkey.users.<user>` renews that user's password. */
  readonly rotation?: RotationTokens;
}

export interface AppUserCredential extends ValkeyPassword {
  readonly user: AclUser;
}

/**
 * The StellaOps application users of Valkey and their passwords: one shared user, or one per service. Created
 * before the server, because self-hosted servers bake the password hashes into their ACL file.
 */
export class ValkeyAppUsers extends pulumi.ComponentResource {
  public readonly users: readonly AppUserCredential[];
  /** True when the operator manages the application user (external server with appPassword). */
  public readonly operatorManaged: boolean;

  constructor(name: string, args: ValkeyAppUsersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:valkey:AppUsers", name, {}, opts);
    const optional = args.enabledOptionalServices ?? [];
    this.operatorManaged = args.operatorManagedPassword !== undefined;
    const acl = appAclUsers(args.settings, optional);
    this.users = acl.map((user) => ({
      user,
      ...(args.operatorManagedPassword !== undefined
        ? givenPassword(args.operatorManagedPassword)
        : generatedPassword(
            `${name}-${user.name}`,
            this,
            rotationToken(args.rotation ?? NO_ROTATION, rotationId.valkeyAppUser(user.name)),
          )),
    }));
    this.registerOutputs({ users: this.users.map((u) => u.user.name) });
  }

  /** The credential a service connects with: the shared user, or the service's own. */
  credentialFor(serviceId: string): AppUserCredential {
    const found = this.users.find((u) => u.user.services.includes(serviceId));
    if (!found) {
      throw new Error(
        `no Valkey user serves "${serviceId}"; served: ${this.users.flatMap((u) => u.user.services).join(", ")}`,
      );
    }
    return found;
  }

  /** Every service id with a Valkey credential, in catalog order. */
  get serviceIds(): string[] {
    return this.users.flatMap((u) => u.user.services);
  }
}
