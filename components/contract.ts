import * as pulumi from "@pulumi/pulumi";

/**
 * What every server component exposes, whatever the platform (Docker, Kubernetes, AWS, existing server),
 * so the layout components (schemas, ACL users, buckets) work the same everywhere.
 */
export interface ServerEndpoint {
  /** Address the layout providers and the StellaOps services use to reach the server. */
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
}

export interface AdminCredentials {
  readonly username: pulumi.Output<string>;
  /** Always a Pulumi secret. */
  readonly password: pulumi.Output<string>;
}

export interface ServerContract {
  /** Where StellaOps services connect (inside the platform's network). */
  readonly endpoint: ServerEndpoint;
  /** Where this program's admin providers connect (a loopback binding, a tunnel); often equal to endpoint. */
  readonly adminEndpoint: ServerEndpoint;
  readonly admin: AdminCredentials;
  readonly tls: pulumi.Output<boolean>;
  /**
   * Resources that exist only once the server is healthy (a container created with `wait: true`, a Helm
   * release with `atomic`, an RDS instance). Layout resources depend on these, and on nothing else.
   */
  readonly readyResources: pulumi.Resource[];
  /**
   * The resource whose deletion takes this server's contents with it (a container, an RDS instance, a
   * CloudNativePG Cluster); undefined for a server this program does not own. What lives inside the server
   * (roles, schemas, ACL users, buckets) carries `deletedWith` it, so a destroy does not try to drop them one by one.
   */
  readonly deletedWith?: pulumi.Resource;
}

/** The contract fields a server sets once; `adminEndpoint` defaults to `endpoint`, `readyResources` to none. */
export type ServedContract = Omit<ServerContract, "adminEndpoint" | "readyResources"> &
  Partial<Pick<ServerContract, "adminEndpoint" | "readyResources">>;

/**
 * The base of every server component: it declares the contract fields once. A subclass hands them over once, with
 * `serve`, when the resources behind them exist; like any readonly field, they do not change afterwards.
 */
export abstract class ServerComponent extends pulumi.ComponentResource implements ServerContract {
  declare public readonly endpoint: ServerEndpoint;
  declare public readonly adminEndpoint: ServerEndpoint;
  declare public readonly admin: AdminCredentials;
  declare public readonly tls: pulumi.Output<boolean>;
  declare public readonly readyResources: pulumi.Resource[];
  declare public readonly deletedWith?: pulumi.Resource;

  protected serve(contract: ServedContract): void {
    const { deletedWith, ...rest } = contract;
    Object.assign(this, {
      ...rest,
      adminEndpoint: contract.adminEndpoint ?? contract.endpoint,
      readyResources: contract.readyResources ?? [],
      // A server this program does not own has no deletedWith: the field stays absent.
      ...(deletedWith !== undefined ? { deletedWith } : {}),
    });
  }
}

/** Options for data-bearing resources: protected unless config turns it off; kept on delete when asked. */
export interface StatefulOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export function statefulResourceOptions(stateful: StatefulOptions): pulumi.CustomResourceOptions {
  return { protect: stateful.protect, retainOnDelete: stateful.retainOnDelete };
}

/*
 * The output contract, declared once: for each StellaOps service, what it needs to reach each server. The areas'
 * connection builders return these; profiles/outputs.ts merges them into one object per service (and marks every
 * credential-bearing field secret once more, whatever a builder handed over).
 */

/**
 * What a StellaOps service needs to reach its database. Credential-bearing values are secrets.
 */
export interface PostgresServiceConnection {
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly database: pulumi.Output<string>;
  readonly username: pulumi.Output<string>;
  /** Secret. */
  readonly password: pulumi.Output<string>;
  /** Secret. Npgsql keyword form, StellaOps's `ConnectionStrings:Default`. */
  readonly connectionString: pulumi.Output<string>;
}

/** What one StellaOps service needs to reach Valkey. Credential-bearing fields are Pulumi secrets. */
export interface ValkeyServiceConnection {
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly user: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;
  readonly tls: pulumi.Output<boolean>;
  /** StackExchange.Redis configuration string. */
  readonly connectionString: pulumi.Output<string>;
}

/** What one StellaOps service needs to use its buckets. Credential-bearing fields are Pulumi secrets. */
export interface ObjectStoreServiceConnection {
  readonly endpoint: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
  readonly pathStyle: boolean;
  /** Bucket names by role, only the roles this service uses. */
  readonly buckets: Readonly<Record<string, pulumi.Output<string>>>;
  /** Static credentials (S3-compatible servers); absent on AWS. */
  readonly accessKey?: pulumi.Output<string>;
  readonly secretKey?: pulumi.Output<string>;
  /** AWS: the least-privilege managed policy to attach to the service's IAM role. */
  readonly iamPolicyArn?: pulumi.Output<string>;
}

/** What one StellaOps service needs to reach NATS. The password is a Pulumi secret. */
export interface NatsServiceConnection {
  /** nats://host:port */
  readonly url: pulumi.Output<string>;
  readonly user: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;
  /** Reply-inbox prefix the service's NATS client must use (`_INBOX` is every client's default). */
  readonly inboxPrefix: pulumi.Output<string>;
  /** nats://user:password@host:port, for clients configured by URL alone. Secret. */
  readonly urlWithCredentials: pulumi.Output<string>;
  /**
   * Whether the server requires TLS on the client port. The URLs keep the nats:// form (clients upgrade when the
   * server requires it); a client should then insist on TLS (NATS.Net: `TlsOpts.Mode = TlsMode.Require`).
   */
  readonly tls: pulumi.Output<boolean>;
}
