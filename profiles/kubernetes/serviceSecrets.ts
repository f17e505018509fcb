import * as k8s from "../../components/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform } from "../../components/platform";
import type { ServiceConnections } from "../outputs";

/**
 * One Kubernetes Secret per StellaOps service holding its connection settings, so a Deployment can use
 * `envFrom`/`valueFrom` without anyone copying passwords by hand.
 * Keys: every output-contract field as `<area>.<field>` (e.g. `postgres.connectionString`), plus
 * `ConnectionStrings__Default`, the .NET key StellaOps services read their PostgreSQL connection from.
 */

export interface ServiceSecretsArgs {
  platform: KubernetesPlatform;
  services: Record<string, ServiceConnections>;
}

/** Flattens one service's connections into Secret string data. Pure apart from Output plumbing. */
export function secretDataFor(connections: ServiceConnections): Record<string, pulumi.Output<string>> {
  const data: Record<string, pulumi.Output<string>> = {};
  for (const [area, connection] of Object.entries(connections)) {
    for (const [field, value] of Object.entries(connection ?? {})) {
      if (value === undefined) continue;
      const output = pulumi.output(value as pulumi.Input<unknown>) as pulumi.Output<unknown>;
      data[`${area}.${field}`] = output.apply((v) =>
        typeof v === "object" && v !== null ? JSON.stringify(v) : String(v),
      );
    }
  }
  if (connections.postgres) data["ConnectionStrings__Default"] = pulumi.output(connections.postgres.connectionString);
  return data;
}

export class ServiceSecrets extends pulumi.ComponentResource {
  public readonly secretNames: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: ServiceSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:outputs:ServiceSecrets", name, {}, opts);
    for (const [serviceId, connections] of Object.entries(args.services)) {
      const secret = new k8s.core.v1.Secret(
        `${name}-${serviceId}`,
        {
          metadata: {
            name: `stellaops-${serviceId}-connections`,
            namespace: args.platform.namespace,
            labels: { ...args.platform.labels, "app.kubernetes.io/component": serviceId },
          },
          type: "Opaque",
          stringData: pulumi.secret(pulumi.output(secretDataFor(connections))),
        },
        { parent: this, provider: args.platform.provider },
      );
      this.secretNames[serviceId] = secret.metadata.name;
    }
    this.registerOutputs({ secretNames: this.secretNames });
  }
}
