import * as pulumi from "@pulumi/pulumi";
import type { ServerContract } from "../contract";
import type { ObjectStoreBackend } from "./capabilities";

/**
 * An S3-compatible server (RustFS in Docker or Kubernetes, or an existing one): the common server contract plus
 * what the buckets and the services need to talk S3 to it. On AWS there is no server; see buckets.ts.
 */
export interface ObjectStoreServer extends ServerContract {
  /** Which implementation answers: selects the capability table. */
  readonly backend: Exclude<ObjectStoreBackend, "aws">;
  readonly region: pulumi.Output<string>;
  /** Path-style addressing (http://host/bucket/key). */
  readonly pathStyle: boolean;
  /** The contract's TLS flag as a plain value: it decides whether the TLS-only bucket policy exists. */
  readonly https: boolean;
  /** S3 base URL the StellaOps services use. */
  readonly serviceUrl: pulumi.Output<string>;
  /** S3 base URL this program's provider uses. */
  readonly adminUrl: pulumi.Output<string>;
}

/** `http(s)://host:port`, the form S3 clients take as their endpoint. */
export function s3BaseUrl(
  https: boolean,
  host: pulumi.Input<string>,
  port: pulumi.Input<number>,
): pulumi.Output<string> {
  return pulumi.interpolate`${https ? "https" : "http"}://${host}:${port}`;
}

/** Host, port and scheme of a validated base URL (settings accept only `http(s)://host[:port][/]`). */
export function parseS3Url(url: string): { https: boolean; host: string; port: number } {
  const parsed = new URL(url);
  const https = parsed.protocol === "https:";
  return { https, host: parsed.hostname, port: parsed.port ? Number(parsed.port) : https ? 443 : 80 };
}
