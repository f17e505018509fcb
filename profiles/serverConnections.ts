import type { ServerContract } from "../components/contract";
import { NatsAppUsers, natsServiceConnections } from "../components/nats";
import { ValkeyAppUsers, valkeyServiceConnections } from "../components/valkey";
import type { InfraConfig } from "./config";

/**
 * The application users, the server a profile builds for them (its platform's component), and each service's
 * connection: the same steps on every profile that runs its own servers.
 */
export function valkeyConnections(cfg: InfraConfig, server: (appUsers: ValkeyAppUsers) => ServerContract) {
  const appUsers = new ValkeyAppUsers("valkey-app-users", {
    settings: cfg.valkey,
    enabledOptionalServices: cfg.services.optional,
    rotation: cfg.rotation,
  });
  return valkeyServiceConnections(server(appUsers), appUsers);
}

/** As valkeyConnections, for NATS; only when the stack enables it, so nothing of NATS exists otherwise. */
export function optionalNatsConnections(cfg: InfraConfig, server: (appUsers: NatsAppUsers) => ServerContract) {
  if (!cfg.nats.enabled) return undefined;
  const appUsers = new NatsAppUsers("nats-users", {
    settings: cfg.nats,
    enabledOptionalServices: cfg.services.optional,
    rotation: cfg.rotation,
  });
  return natsServiceConnections(server(appUsers), appUsers);
}
