import type { ServerContract } from "../contract";

/**
 * A PostgreSQL server as the layout components see it: the common ServerContract plus whether the admin role
 * is a real superuser. Managed servers (RDS, Cloud SQL, Azure) give a privileged non-superuser, for which the
 * Pulumi provider must run with `superuser: false` (it then grants itself membership in the roles it hands
 * schemas to, instead of relying on superuser rights).
 */
export interface PostgresServer extends ServerContract {
  readonly adminIsSuperuser: boolean;
}

/** The port PostgreSQL listens on inside containers and pods. */
export const POSTGRES_PORT = 5432;
