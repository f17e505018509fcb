import * as pulumi from "@pulumi/pulumi";
import type { ObjectStoreServiceConnection } from "../contract";
import type { ServiceAccessPlan } from "./model";
import { awsDnsSuffix } from "./renderPolicies";
import type { ObjectStoreServer } from "./server";

export type { ObjectStoreServiceConnection } from "../contract";

/** Where a service's buckets are served: Amazon S3 in the stack's region, or an S3-compatible server. */
export type ObjectStoreEndpoint =
  { readonly kind: "aws"; readonly region: string } | { readonly kind: "server"; readonly server: ObjectStoreServer };

/**
 * What one service needs to use its buckets: the endpoint, region and addressing style, its bucket names by role,
 * and its credentials: on AWS the IAM policy to attach to its role, on a server the server's own keys (secrets).
 */
export function objectStoreServiceConnection(
  service: ServiceAccessPlan,
  buckets: Readonly<Record<string, pulumi.Output<string>>>,
  endpoint: ObjectStoreEndpoint,
  iamPolicyArn?: pulumi.Output<string>,
): ObjectStoreServiceConnection {
  const names = Object.fromEntries(service.roles.map((role) => [role, buckets[role] as pulumi.Output<string>]));
  if (endpoint.kind === "aws") {
    return {
      endpoint: pulumi.output(`https://s3.${endpoint.region}.${awsDnsSuffix(endpoint.region)}`),
      region: pulumi.output(endpoint.region),
      pathStyle: false,
      buckets: names,
      iamPolicyArn,
    };
  }
  const { server } = endpoint;
  return {
    endpoint: server.serviceUrl,
    region: server.region,
    pathStyle: server.pathStyle,
    buckets: names,
    // S3-compatible servers get no per-service users from this program: every service shares the server's
    // credentials (docs/objectStore.md explains how to narrow them with the exported policy documents).
    accessKey: pulumi.secret(server.admin.username),
    secretKey: pulumi.secret(server.admin.password),
  };
}
