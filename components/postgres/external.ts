import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT, type PostgresServer } from "./server";
import type { PostgresExternalSettings } from "./settings";

/**
 * An existing PostgreSQL server (`stellaops-infra:external.postgres`): nothing is created, the contract only
 * describes where it is and how to administer it. No readyResources: it is ready by definition.
 */
export function postgresExternalServer(settings: PostgresExternalSettings): PostgresServer {
  const endpoint = { host: pulumi.output(settings.host), port: pulumi.output(settings.port ?? POSTGRES_PORT) };
  return {
    endpoint,
    adminEndpoint: {
      host: pulumi.output(settings.adminHost ?? settings.host),
      port: pulumi.output(settings.adminPort ?? settings.port),
    },
    admin: { username: pulumi.output(settings.adminUsername), password: pulumi.secret(settings.adminPassword) },
    tls: pulumi.output(settings.tls),
    readyResources: [],
    adminIsSuperuser: settings.adminIsSuperuser,
  };
}
