import * as pulumi from "@pulumi/pulumi";

/**
 * The output contract: for each StellaOps service, one object with what it needs to connect to each server.
 * Every credential-bearing value is a Pulumi secret, whatever the component handed over.
 */

export interface PostgresConnection {
  host: pulumi.Input<string>;
  port: pulumi.Input<number>;
  database: pulumi.Input<string>;
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
  /** Npgsql keyword form: Host=…;Port=…;Database=…;Username=…;Password=…[;SSL Mode=…] */
  connectionString: pulumi.Input<string>;
}

export interface ValkeyConnection {
  host: pulumi.Input<string>;
  port: pulumi.Input<number>;
  user: pulumi.Input<string>;
  password: pulumi.Input<string>;
  tls: pulumi.Input<boolean>;
  /** StackExchange.Redis form: host:port,user=…,password=…,ssl=…,abortConnect=false */
  connectionString: pulumi.Input<string>;
}

export interface ObjectStoreConnection {
  endpoint: pulumi.Input<string>;
  region: pulumi.Input<string>;
  pathStyle: pulumi.Input<boolean>;
  /** Bucket names by role (scannerArtifacts, surfaceCache, …), only the ones this service uses. */
  buckets: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Static credentials (RustFS, external S3); absent on AWS, where services use the IAM policy. */
  accessKey?: pulumi.Input<string>;
  secretKey?: pulumi.Input<string>;
  /** AWS: the least-privilege IAM policy to attach to the service's role. */
  iamPolicyArn?: pulumi.Input<string>;
}

export interface NatsConnection {
  url: pulumi.Input<string>;
  user: pulumi.Input<string>;
  password: pulumi.Input<string>;
  /** Reply-inbox prefix the service's NATS client must use. */
  inboxPrefix?: pulumi.Input<string>;
  /** nats://user:password@host:port, for clients configured by URL alone. */
  urlWithCredentials?: pulumi.Input<string>;
  /** Whether the server requires TLS; the URLs keep the nats:// form (see docs/nats.md). */
  tls: pulumi.Input<boolean>;
}

export interface ServiceConnections {
  postgres?: PostgresConnection;
  valkey?: ValkeyConnection;
  objectStore?: ObjectStoreConnection;
  nats?: NatsConnection;
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
  postgres?: PerService<PostgresConnection>;
  valkey?: PerService<ValkeyConnection>;
  objectStore?: PerService<ObjectStoreConnection>;
  nats?: PerService<NatsConnection>;
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
