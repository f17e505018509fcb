import * as pulumi from "@pulumi/pulumi";
import { NO_ROTATION, rotationId, rotationToken, type RotationTokens } from "../rotation";
import { generatedPassword, type NatsPassword } from "./passwords";
import { natsAppUserSpecs, type NatsAppUserSpec } from "./model";
import type { NatsSettings } from "./settings";

export interface NatsAppUsersArgs {
  /** Plain settings: the user mode decides how many users (and passwords) exist. */
  readonly settings: NatsSettings;
  /** Optional StellaOps services enabled in this deployment (catalog ids). */
  readonly enabledOptionalServices?: readonly string[];
  /** `stellaops-infra:rotation`: `nats.users.<user>` renews that user's password. */
  readonly rotation?: RotationTokens;
}

export interface NatsAppUserCredential extends NatsPassword {
  readonly spec: NatsAppUserSpec;
}

/**
 * The StellaOps application users of NATS and their generated passwords: one shared user, or one per service that
 * uses NATS. Created apart from the server so every platform's server takes the same users.
 */
export class NatsAppUsers extends pulumi.ComponentResource {
  public readonly users: readonly NatsAppUserCredential[];

  constructor(name: string, args: NatsAppUsersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:nats:AppUsers", name, {}, opts);
    const specs = natsAppUserSpecs(args.settings, args.enabledOptionalServices ?? []);
    // Passwords are named after the user, so switching modes and back keeps each user's password.
    this.users = specs.map((spec) => ({
      spec,
      ...generatedPassword(
        `${name}-${spec.name}`,
        this,
        rotationToken(args.rotation ?? NO_ROTATION, rotationId.natsAppUser(spec.name)),
      ),
    }));
    this.registerOutputs({ users: this.users.map((u) => u.spec.name) });
  }

  /** The credential a service connects with: the shared user, or the service's own. */
  credentialFor(serviceId: string): NatsAppUserCredential {
    const found = this.users.find((u) => u.spec.services.includes(serviceId));
    if (!found) {
      throw new Error(
        `no NATS user serves "${serviceId}"; served: ${this.users.flatMap((u) => u.spec.services).join(", ")}`,
      );
    }
    return found;
  }

  /** Every service id with a NATS credential, in catalog order. */
  get serviceIds(): string[] {
    return this.users.flatMap((u) => u.spec.services);
  }
}
