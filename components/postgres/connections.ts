import * as pulumi from "@pulumi/pulumi";
import type { PostgresServiceConnection, ServerEndpoint } from "../contract";

export type { PostgresServiceConnection } from "../contract";

export interface ConnectionParts {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  readonly tls: boolean;
}

/** Npgsql (DbConnectionStringBuilder) quoting: values with ; = ' " or edge spaces go in double quotes. */
function npgsqlValue(value: string): string {
  if (!/[;='"]|^\s|\s$/.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

/** `Host=…;Port=…;Database=…;Username=…;Password=…` plus `;SSL Mode=Require` when the server speaks TLS. */
export function npgsqlConnectionString(p: ConnectionParts): string {
  const pairs: [string, string][] = [
    ["Host", p.host],
    ["Port", String(p.port)],
    ["Database", p.database],
    ["Username", p.username],
    ["Password", p.password],
  ];
  if (p.tls) pairs.push(["SSL Mode", "Require"]);
  return pairs.map(([k, v]) => `${k}=${npgsqlValue(v)}`).join(";");
}

/** Builds one service's connection outputs from the server's service endpoint. */
export function serviceConnection(args: {
  endpoint: ServerEndpoint;
  tls: pulumi.Input<boolean>;
  database: pulumi.Input<string>;
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
}): PostgresServiceConnection {
  const password = pulumi.secret(args.password);
  const connectionString = pulumi.secret(
    pulumi
      .all([args.endpoint.host, args.endpoint.port, args.database, args.username, password, args.tls])
      .apply(([host, port, database, username, pw, tls]) =>
        npgsqlConnectionString({ host, port, database, username, password: pw, tls }),
      ),
  );
  return {
    host: args.endpoint.host,
    port: args.endpoint.port,
    database: pulumi.output(args.database),
    username: pulumi.output(args.username),
    password,
    connectionString,
  };
}
