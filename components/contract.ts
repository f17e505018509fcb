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

/** Options for data-bearing resources: protected unless config turns it off; kept on delete when asked. */
export interface StatefulOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export function statefulResourceOptions(stateful: StatefulOptions): pulumi.CustomResourceOptions {
  return { protect: stateful.protect, retainOnDelete: stateful.retainOnDelete };
}
