/**
 * Roles and databases a server already has when the layout first connects, per platform: the layout must never
 * take one over (a layout role is ALTERed to NOCREATEROLE …; a layout database found by name is adopted with its
 * owner). Pure data with sources; profiles/componentRules.ts compares the layout against it.
 */

/** docker.ts runs the official image with POSTGRES_USER=postgres: initdb's bootstrap superuser. */
export const DOCKER_SUPERUSER = "postgres";

/**
 * A CloudNativePG Cluster without `bootstrap` (kubernetes.ts sets none) runs initdb with the defaults: database
 * `app` owned by role `app`, whose password is in the `<cluster>-app` Secret; plus the superuser `postgres` and the
 * replication role `streaming_replica`.
 * Source: cloudnative-pg/cloudnative-pg, api/v1/cluster_defaults.go (DefaultApplicationDatabaseName = "app",
 * DefaultApplicationUserName, defaultInitDB) and StreamingReplicationUser = "streaming_replica" (api/v1), as read
 * in the code index (main branch).
 */
export const CLOUDNATIVEPG_INITDB = {
  roles: ["postgres", "app", "streaming_replica"],
  databases: ["app"],
} as const;
