import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { RoleSpec } from "./model";
import { envNameFor } from "./layoutJob";
import type { PostgresServer } from "./server";
import { renderLoginRoleSql } from "./renderSql";

/**
 * Login roles with CREATEROLE are not `postgresql.Role` resources: every update of one (any attribute) first
 * revokes every role the login is a member of (terraform-provider-postgresql, resource_postgresql_role.go,
 * resourcePostgreSQLRoleUpdate → revokeRoles; see providerFacts.ts), and a CREATEROLE login is a member, WITH ADMIN
 * OPTION, of each role it created (PostgreSQL 16+). On RDS that REVOKE fails; on a superuser it strips the
 * service's control of its own roles. So these logins are managed by psql on the deploy machine, running
 * renderLoginRoleSql (the layout script's role statements, which never touch memberships) against the admin
 * endpoint, on create and on every update.
 */

/** What the operator reads when psql is missing on the deploy machine (exit 127, as the shell uses for it). */
export const PSQL_MISSING_MESSAGE =
  "stellaops-infra: psql (the PostgreSQL client) is not on the PATH of the machine running pulumi. It manages the " +
  "login roles of services with createRole (postgres.serviceOverrides.<service>.createRole or " +
  "postgres.roleDefaults.createRole); install it (Debian/Ubuntu: apt-get install postgresql-client) and run pulumi up again.";

/**
 * The shell command: psql, one transaction, the script on stdin, the verifier as a psql variable read from the
 * environment (never in the command line or the script). Pure.
 */
export function loginCommandLine(role: RoleSpec): string {
  const variable = role.passwordVariable;
  return [
    `command -v psql >/dev/null 2>&1 || { echo '${PSQL_MISSING_MESSAGE}' >&2; exit 127; }`,
    `exec psql -X -q --single-transaction -v ON_ERROR_STOP=1 -v ${variable}="$${envNameFor(variable)}" -f -`,
  ].join("\n");
}

export interface LoginRoleArgs {
  readonly server: PostgresServer;
  readonly role: RoleSpec;
  /** The role's SCRAM-SHA-256 verifier (secret); the plaintext never leaves this program. */
  readonly verifier: pulumi.Output<string>;
}

/** libpq's environment for the admin connection, plus the verifier; the two credentials are secrets. */
export function loginEnvironment(args: LoginRoleArgs): pulumi.Input<Record<string, pulumi.Input<string>>> {
  const { server, role } = args;
  return {
    PGHOST: server.adminEndpoint.host,
    PGPORT: server.adminEndpoint.port.apply(String),
    PGUSER: server.admin.username,
    PGPASSWORD: pulumi.secret(server.admin.password),
    PGDATABASE: "postgres",
    PGSSLMODE: server.tls.apply((tls) => (tls ? "require" : "disable")),
    PGCONNECT_TIMEOUT: "30",
    PGAPPNAME: "stellaops-infra-login-role",
    [envNameFor(role.passwordVariable)]: pulumi.secret(args.verifier),
  };
}

export function loginRoleCommand(
  name: string,
  args: LoginRoleArgs,
  opts: pulumi.CustomResourceOptions,
): command.local.Command {
  const line = loginCommandLine(args.role);
  return new command.local.Command(
    name,
    {
      create: line,
      // The same idempotent script on every change (attributes, password, endpoint); no delete: the role and
      // the roles it created stay with the data they own.
      update: line,
      stdin: renderLoginRoleSql(args.role),
      environment: loginEnvironment(args),
      addPreviousOutputInEnv: false,
    },
    { ...opts, additionalSecretOutputs: ["stdout", "stderr"] },
  );
}
