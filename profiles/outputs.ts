import * as pulumi from "@pulumi/pulumi";
import type {
  NatsServiceConnection,
  ObjectStoreServiceConnection,
  PostgresServiceConnection,
  ValkeyServiceConnection,
} from "../components/contract";

/**
 * The stack outputs: for each StellaOps service, one object with what it needs to connect to each server (the
 * per-server shapes are the output contract in components/contract.ts). Every credential-bearing value is a Pulumi
 * secret, whatever the component handed over.
 */

export interface ServiceConnections {
  postgres?: PostgresServiceConnection;
  valkey?: ValkeyServiceConnection;
  objectStore?: ObjectStoreServiceConnection;
  nats?: NatsServiceConnection;
}

export interface StackOutputs {
  profile: string;
  environment: string;
  /** Per StellaOps service (authority, scanner, …). */
  services: Record<string, ServiceConnections>;
}

const CREDENTIAL_FIELDS = new Set(["password", "connectionString", "accessKey", "secretKey", "urlWithCredentials"]);

/** Marks every credential-bearing field secret; leaves the rest as they are. */
export function secretCredentials<T extends object>(connection: T): T {
  return Object.fromEntries(
    Object.entries(connection).map(([k, v]) => [k, CREDENTIAL_FIELDS.has(k) && v !== undefined ? pulumi.secret(v) : v]),
  ) as T;
}

type PerService<T> = Readonly<Record<string, T>>;

/** Merges each component's per-service connections into one object per StellaOps service. */
export function mergeServiceConnections(parts: {
  postgres?: PerService<PostgresServiceConnection>;
  valkey?: PerService<ValkeyServiceConnection>;
  objectStore?: PerService<ObjectStoreServiceConnection>;
  nats?: PerService<NatsServiceConnection>;
}): Record<string, ServiceConnections> {
  const services: Record<string, ServiceConnections> = {};
  for (const [area, perService] of Object.entries(parts) as [
    keyof ServiceConnections,
    PerService<object> | undefined,
  ][]) {
    for (const [serviceId, connection] of Object.entries(perService ?? {})) {
      services[serviceId] = { ...services[serviceId], [area]: secretCredentials(connection) };
    }
  }
  return services;
}
