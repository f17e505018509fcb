/** The PostgreSQL area's wiring surface for the profiles. */
export { PostgresAwsServer, type PostgresAwsServerArgs } from "./aws";
export { npgsqlConnectionString, type PostgresServiceConnection } from "./connections";
export { PostgresDatabase, type PostgresDatabaseArgs } from "./database";
export { PostgresDockerServer, type PostgresDockerServerArgs } from "./docker";
export { postgresExternalServer } from "./external";
export { PostgresKubernetesServer, type PostgresKubernetesServerArgs } from "./kubernetes";
export { buildLayout, postgresLayoutProblems, type PostgresLayout } from "./model";
export { PostgresLayoutJob, type PostgresLayoutJobArgs } from "./layoutJob";
export type { PostgresServer } from "./server";
export { renderLayoutSql } from "./renderSql";
