import * as pulumi from "@pulumi/pulumi";
import type { ServerContract, ValkeyServiceConnection } from "../contract";

export type { ValkeyServiceConnection } from "../contract";
import type { ValkeyAppUsers } from "./appUsers";
import type { SettingsProblem } from "../settingsProblem";

/** Why StackExchange.Redis could not carry a connection-string value; undefined when it can. */
function connectionStringValueProblem(field: string, value: string): string | undefined {
  return /[,=\s]/.test(value)
    ? `Valkey ${field} must not contain ',', '=' or whitespace: StackExchange.Redis would split it`
    : undefined;
}

/** An existing server's host goes into every service's connection string (a rule of the `external.valkey` block). */
export function externalHostProblems(host: string): SettingsProblem[] {
  const message = connectionStringValueProblem("host", host);
  return message === undefined ? [] : [{ path: ["host"], message }];
}

/**
 * StackExchange.Redis connection string: `host:port,user=…,password=…,ssl=…,abortConnect=false`.
 * abortConnect=false lets a service start while Valkey is still loading and keep retrying.
 */
export function stackExchangeConnectionString(c: {
  host: string;
  port: number;
  user: string;
  password: string;
  tls: boolean;
}): string {
  for (const [field, value] of [
    ["host", c.host],
    ["user", c.user],
    ["password", c.password],
  ] as const) {
    const problem = connectionStringValueProblem(field, value);
    if (problem !== undefined) throw new Error(problem);
  }
  return `${c.host}:${c.port},user=${c.user},password=${c.password},ssl=${c.tls},abortConnect=false`;
}

/**
 * One connection per service with a Valkey user: the shared user in shared mode, its own in per-service mode.
 * Built from the server's contract only (endpoint, TLS flag), whatever the platform.
 */
export function valkeyServiceConnections(
  server: ServerContract,
  appUsers: ValkeyAppUsers,
): Record<string, ValkeyServiceConnection> {
  return Object.fromEntries(
    appUsers.serviceIds.map((serviceId) => {
      const credential = appUsers.credentialFor(serviceId);
      const user = pulumi.output(credential.user.name);
      const connectionString = pulumi
        .all([server.endpoint.host, server.endpoint.port, user, credential.password, server.tls])
        .apply(([host, port, u, password, tls]) =>
          stackExchangeConnectionString({ host, port, user: u, password, tls }),
        );
      return [
        serviceId,
        {
          host: server.endpoint.host,
          port: server.endpoint.port,
          user,
          password: credential.password,
          tls: server.tls,
          connectionString: pulumi.secret(connectionString),
        },
      ];
    }),
  );
}
