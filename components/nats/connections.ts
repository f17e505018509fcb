import * as pulumi from "@pulumi/pulumi";
import type { NatsServiceConnection, ServerContract } from "../contract";

export type { NatsServiceConnection } from "../contract";
import type { NatsAppUsers } from "./appUsers";
import { natsServices } from "./model";

/** `nats://host:port`; the host must be a plain host name or IPv4 address. */
export function natsUrl(host: string, port: number): string {
  if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new Error(`"${host}" is not a host name for a nats:// URL`);
  return `nats://${host}:${port}`;
}

/** The URL with user and password as userinfo, percent-encoded. */
export function natsUrlWithCredentials(url: string, user: string, password: string): string {
  const match = /^nats:\/\/([^\s/@]+)$/.exec(url);
  if (!match) throw new Error(`"${url}" is not a nats://host:port URL without credentials`);
  return `nats://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${match[1]}`;
}

function connection(
  url: pulumi.Input<string>,
  user: string,
  password: pulumi.Input<string>,
  inboxPrefix: string,
  tls: pulumi.Input<boolean>,
): NatsServiceConnection {
  const secretPassword = pulumi.secret(pulumi.output(password));
  return {
    url: pulumi.output(url),
    user: pulumi.output(user),
    password: secretPassword,
    inboxPrefix: pulumi.output(inboxPrefix),
    urlWithCredentials: pulumi.secret(
      pulumi.all([url, secretPassword]).apply(([u, p]) => natsUrlWithCredentials(u, user, p)),
    ),
    tls: pulumi.output(tls),
  };
}

/**
 * One connection per service with a NATS user: the shared user in shared mode, its own in per-service mode.
 * Built from the server's contract only (its endpoint and TLS flag), whatever the platform.
 */
export function natsServiceConnections(
  server: ServerContract,
  appUsers: NatsAppUsers,
): Record<string, NatsServiceConnection> {
  const url = pulumi.all([server.endpoint.host, server.endpoint.port]).apply(([host, port]) => natsUrl(host, port));
  return Object.fromEntries(
    appUsers.serviceIds.map((serviceId) => {
      const credential = appUsers.credentialFor(serviceId);
      return [
        serviceId,
        connection(url, credential.spec.name, credential.password, credential.spec.inboxPrefix, server.tls),
      ];
    }),
  );
}

export interface NatsExternalServer {
  readonly url: string;
  readonly user: string;
  /** From `pulumi config set --secret`; wrapped as a secret again here whatever arrives. */
  readonly password: pulumi.Input<string>;
  readonly inboxPrefix: string;
  /** Whether the server requires TLS (external.nats.tls); absent: false. */
  readonly tls?: boolean;
}

/**
 * An existing NATS server the operator runs (external profile): every NATS-using StellaOps service gets the
 * operator's user. Nothing is created.
 */
export function natsExternalConnections(
  server: NatsExternalServer,
  enabledOptionalServices: readonly string[] = [],
): Record<string, NatsServiceConnection> {
  return Object.fromEntries(
    natsServices(enabledOptionalServices).map((service) => [
      service.id,
      connection(server.url, server.user, server.password, server.inboxPrefix, server.tls ?? false),
    ]),
  );
}
