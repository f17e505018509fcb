import type * as command from "@pulumi/command";
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { statefulResourceOptions, type StatefulOptions } from "../contract";
import { serviceConnection, type PostgresServiceConnection } from "./connections";
import { buildLayout, type PostgresLayout } from "./model";
import type { RotationTokens } from "../rotation";
import { loginRoleCommand } from "./loginCommand";
import { rolePasswords, roleVerifiers } from "./passwords";
import type { PostgresServer } from "./server";
import type { PostgresSettings } from "./settings";

export interface PostgresDatabaseArgs {
  /** The server to lay out (any platform); only its readyResources are waited on. */
  readonly server: PostgresServer;
  readonly settings: PostgresSettings;
  /** Optional StellaOps services enabled in the stack config (`services.optional`). */
  readonly optionalServices: readonly string[];
  /** The platform's protect/retainOnDelete for the databases, schemas and the roles that own them. */
  readonly stateful: StatefulOptions;
  /** `stellaops-infra:rotation`: `postgres.roles.<service>` renews that role's password. */
  readonly rotation?: RotationTokens;
}

/**
 * The layout rendered as @pulumi/postgresql resources through an explicit provider on the server's admin endpoint:
 * databases, one LOGIN role per service owning its schemas, CONNECT only for those roles, the read grants config
 * asks for, extensions. Everything waits for the server's readyResources and for nothing else.
 */
export class PostgresDatabase extends pulumi.ComponentResource {
  public readonly layout: PostgresLayout;
  public readonly provider: postgresql.Provider;
  public readonly databases: Record<string, postgresql.Database>;
  /** Login roles without CREATEROLE, per service id. */
  public readonly roles: Record<string, postgresql.Role>;
  /** Login roles with CREATEROLE, per service id: psql from the deploy machine (loginCommand.ts), never a Role. */
  public readonly createRoleLogins: Record<string, command.local.Command>;
  public readonly schemas: Record<string, postgresql.Schema>;
  /** Per StellaOps service id: host, port, database, username, password (secret), connectionString (secret). */
  public readonly connections: Record<string, PostgresServiceConnection>;

  constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stellaops:postgres:Database", name, {}, opts);
    const layout = buildLayout(args.settings, args.optionalServices);
    this.layout = layout;
    const { server } = args;
    const ready = server.readyResources;

    this.provider = new postgresql.Provider(
      `${name}-provider`,
      {
        host: server.adminEndpoint.host,
        port: server.adminEndpoint.port,
        username: server.admin.username,
        password: pulumi.secret(server.admin.password),
        database: "postgres",
        sslmode: server.tls.apply((tls) => (tls ? "require" : "disable")),
        // RDS and other managed servers have no real superuser; the provider then avoids superuser-only paths.
        superuser: server.adminIsSuperuser,
        expectedVersion: args.settings.version,
        connectTimeout: 30,
      },
      { parent: this, dependsOn: ready },
    );
    // Everything below lives inside the server: deleted with it (a destroy drops nothing one by one), and the
    // stateful part (databases, schemas, their owner roles) protected and retained per config.
    const inServer: pulumi.CustomResourceOptions = {
      parent: this,
      dependsOn: ready,
      ...(server.deletedWith ? { deletedWith: server.deletedWith } : {}),
    };
    const on: pulumi.CustomResourceOptions = { ...inServer, provider: this.provider };
    const stateful = { ...on, ...statefulResourceOptions(args.stateful) };

    const passwords = rolePasswords(name, layout, { parent: this }, args.rotation);
    // The server only ever sees SCRAM verifiers (stable per role and password): no plaintext in SQL or its logs.
    const verifiers = roleVerifiers(layout, passwords);

    this.roles = Object.fromEntries(
      layout.roles
        .filter((role) => !role.createRole)
        .map((role) => [
          role.service,
          new postgresql.Role(
            `${name}-role-${role.service}`,
            {
              name: role.name,
              login: true,
              password: verifiers[role.service],
              connectionLimit: role.connectionLimit,
              statementTimeout: role.statementTimeoutMs,
              searchPaths: [...role.searchPath],
              createRole: false,
              createDatabase: false,
              superuser: false,
              replication: false,
              bypassRowLevelSecurity: false,
              inherit: true,
            },
            stateful,
          ),
        ]),
    );
    this.createRoleLogins = Object.fromEntries(
      layout.roles
        .filter((role) => role.createRole)
        .map((role) => [
          role.service,
          loginRoleCommand(
            `${name}-login-${role.service}`,
            { server, role, verifier: verifiers[role.service] },
            { ...inServer, ...statefulResourceOptions(args.stateful) },
          ),
        ]),
    );
    /** A role's name as an Output of what manages it, so whatever uses it waits for the role to exist. */
    const roleName = (roleNameValue: string): pulumi.Output<string> => {
      const service = layout.roles.find((r) => r.name === roleNameValue)?.service as string;
      const login = this.createRoleLogins[service];
      return login ? login.urn.apply(() => roleNameValue) : this.roles[service].name;
    };

    // The main database's logical name does not carry its name, so renaming it (postgres.database) is an update.
    this.databases = Object.fromEntries(
      layout.databases.map((db, i) => [
        db.name,
        new postgresql.Database(
          i === 0 ? `${name}-database` : `${name}-database-${db.name}`,
          {
            name: db.name,
            template: "template0",
            encoding: layout.encoding,
            ...(layout.locale ? { lcCollate: layout.locale, lcCtype: layout.locale } : {}),
          },
          stateful,
        ),
      ]),
    );
    const dbName = (db: string) => this.databases[db].name;

    // Schemas of one owner one after another: on a server without a real superuser the provider briefly grants
    // itself the owner role for each, and two such grants of the same role at once collide.
    const lastOfOwner = new Map<string, postgresql.Schema>();
    this.schemas = Object.fromEntries(
      layout.schemas.map((schema) => {
        const previous = lastOfOwner.get(schema.owner);
        const created = new postgresql.Schema(
          `${name}-schema-${schema.name}`,
          { name: schema.name, database: dbName(schema.database), owner: roleName(schema.owner), dropCascade: false },
          { ...stateful, dependsOn: [...ready, ...(previous ? [previous] : [])] },
        );
        lastOfOwner.set(schema.owner, created);
        return [schema.name, created];
      }),
    );

    // Grants strictly one at a time, after the schemas: concurrent GRANT/REVOKE on one catalog row fails with
    // "tuple concurrently updated" (pulumi-postgresql#126, terraform-provider-postgresql#178).
    let previousGrant: pulumi.Resource[] = Object.values(this.schemas);
    const inSequence = <T extends pulumi.Resource>(create: (opts: pulumi.CustomResourceOptions) => T): T => {
      const created = create({ ...on, dependsOn: [...ready, ...previousGrant] });
      previousGrant = [created];
      return created;
    };

    for (const db of layout.databases) {
      inSequence(
        (o) =>
          new postgresql.Grant(
            `${name}-revoke-public-${db.name}`,
            { database: dbName(db.name), objectType: "database", role: "public", privileges: [] },
            o,
          ),
      );
      inSequence(
        (o) =>
          new postgresql.Grant(
            `${name}-public-schema-${db.name}`,
            {
              database: dbName(db.name),
              schema: "public",
              objectType: "schema",
              role: "public",
              privileges: ["USAGE"],
            },
            o,
          ),
      );
    }
    for (const role of layout.roles) {
      inSequence(
        (o) =>
          new postgresql.Grant(
            `${name}-connect-${role.service}`,
            {
              database: dbName(role.database),
              objectType: "database",
              role: roleName(role.name),
              privileges: role.temporaryTables ? ["CONNECT", "TEMPORARY"] : ["CONNECT"],
            },
            o,
          ),
      );
    }
    for (const grant of layout.readGrants) {
      const base = `${name}-read-${grant.service}-${grant.schema}`;
      const common = {
        database: dbName(grant.database),
        schema: this.schemas[grant.schema].name,
        role: roleName(grant.role),
      };
      inSequence(
        (o) => new postgresql.Grant(`${base}-usage`, { ...common, objectType: "schema", privileges: ["USAGE"] }, o),
      );
      inSequence(
        (o) =>
          new postgresql.Grant(
            `${base}-tables`,
            { ...common, objectType: "table", objects: [], privileges: ["SELECT"] },
            o,
          ),
      );
      inSequence(
        (o) =>
          new postgresql.DefaultPrivileges(
            `${base}-future-tables`,
            { ...common, owner: roleName(grant.owner), objectType: "table", privileges: ["SELECT"] },
            o,
          ),
      );
    }

    for (const ext of layout.extensions) {
      const inSchema = this.schemas[ext.schema];
      new postgresql.Extension(
        `${name}-extension-${ext.database}-${ext.name}`,
        { name: ext.name, database: dbName(ext.database), schema: inSchema ? inSchema.name : ext.schema },
        on,
      );
    }

    this.connections = Object.fromEntries(
      layout.roles.map((role) => [
        role.service,
        serviceConnection({
          endpoint: server.endpoint,
          tls: server.tls,
          database: dbName(role.database),
          username: roleName(role.name),
          password: passwords[role.service].result,
        }),
      ]),
    );

    this.registerOutputs({ connections: this.connections });
  }
}
