import { activeServices, appSchemaOf, type ServiceSpec } from "../catalog";
import type { PostgresSettings } from "./settings";

/**
 * The PostgreSQL layout as plain data, built from the catalog and the settings: databases, one LOGIN role per
 * service owning its schemas (and their `_app` helper schemas), and the few grants that cross those lines.
 * Pure: both renderings (Pulumi resources in database.ts, the psql script in sql.ts) read only this.
 * No tables: StellaOps's services migrate their own schemas.
 */

export interface DatabaseSpec {
  readonly name: string;
  /** Service ids whose schemas live here; their roles get CONNECT (and TEMPORARY when allowed). */
  readonly services: readonly string[];
}

export interface RoleSpec {
  readonly service: string;
  readonly name: string;
  /** The database this role connects to (the only one it gets CONNECT on). */
  readonly database: string;
  /** psql variable carrying the password in the SQL rendering, e.g. pw_evidence_locker. */
  readonly passwordVariable: string;
  readonly connectionLimit: number;
  /** 0 = unset (RESET statement_timeout). */
  readonly statementTimeoutMs: number;
  readonly createRole: boolean;
  readonly temporaryTables: boolean;
  readonly searchPath: readonly string[];
}

export interface SchemaSpec {
  readonly name: string;
  readonly database: string;
  readonly service: string;
  /** The owning role's name. */
  readonly owner: string;
  /** For `<schema>_app` helper schemas: the schema it serves. */
  readonly helperOf?: string;
}

/** Read-only access to one schema: USAGE, SELECT on its tables now and on those its owner creates later. */
export interface ReadGrantSpec {
  readonly database: string;
  readonly schema: string;
  /** The schema owner, whose future tables the default privileges cover. */
  readonly owner: string;
  readonly service: string;
  /** The reading role. */
  readonly role: string;
}

export interface ExtensionSpec {
  readonly database: string;
  readonly name: string;
  readonly schema: string;
}

export interface PostgresLayout {
  readonly databases: readonly DatabaseSpec[];
  readonly roles: readonly RoleSpec[];
  readonly schemas: readonly SchemaSpec[];
  readonly readGrants: readonly ReadGrantSpec[];
  readonly extensions: readonly ExtensionSpec[];
  /** Encoding and locale of the databases created here (template0). */
  readonly encoding: "UTF8";
  readonly locale?: string;
}

export class LayoutError extends Error {}

/** Service id as it appears in identifiers: `evidence-locker` → `evidence_locker`. */
export function identifierPart(serviceId: string): string {
  return serviceId.replace(/-/g, "_");
}

export function roleNameFor(pattern: string, serviceId: string): string {
  const name = pattern.replace("{service}", identifierPart(serviceId));
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new LayoutError(
      `postgres.roleNamePattern: "${pattern}" gives "${name}" for service ${serviceId}; role names must be lowercase identifiers of at most 63 characters`,
    );
  }
  return name;
}

export function passwordVariableFor(serviceId: string): string {
  return `pw_${identifierPart(serviceId)}`;
}

/**
 * Builds the layout. `enabledOptionalServices` is `services.optional` from the stack config.
 * Throws LayoutError naming the config key when settings refer to things the layout does not have.
 */
export function buildLayout(
  settings: PostgresSettings,
  enabledOptionalServices: readonly string[] = [],
): PostgresLayout {
  const services = activeServices(enabledOptionalServices);
  const activeIds = new Set(services.map((s) => s.id));
  checkServicesActive(settings, activeIds);

  const databaseOf = (serviceId: string): string =>
    (settings.serviceDatabases as Record<string, string | undefined>)[serviceId] ?? settings.database;
  const roleOf = new Map(services.map((s) => [s.id, roleNameFor(settings.roleNamePattern, s.id)]));
  checkUnique([...roleOf.values()], "postgres.roleNamePattern", "gives the same role name to two services");

  const schemas = services.flatMap((service) => serviceSchemas(service, settings, databaseOf(service.id), roleOf));
  checkUnique(
    schemas.map((s) => s.name),
    "postgres.extraSchemas",
    "names a schema that already exists in the layout (schema names are unique across databases)",
  );
  if (schemas.some((s) => s.name === "public" || s.name.startsWith("pg_"))) {
    throw new LayoutError(`postgres.extraSchemas: "public" and pg_* schemas cannot be owned by a service`);
  }

  const roles = services.map((service) => roleSpec(service, settings, databaseOf(service.id), roleOf, schemas));
  const databaseNames = unique([settings.database, ...services.map((s) => databaseOf(s.id))]);
  const databases = databaseNames.map((name) => ({
    name,
    services: services.filter((s) => databaseOf(s.id) === name).map((s) => s.id),
  }));

  return {
    databases,
    roles,
    schemas,
    readGrants: readGrants(settings, schemas, roleOf, databaseOf),
    extensions: extensions(settings, databaseNames, schemas),
    encoding: "UTF8",
    ...(settings.locale !== undefined ? { locale: settings.locale } : {}),
  };
}

function serviceSchemas(
  service: ServiceSpec,
  settings: PostgresSettings,
  database: string,
  roleOf: ReadonlyMap<string, string>,
): SchemaSpec[] {
  const owner = roleOf.get(service.id) as string;
  const extra = settings.extraSchemas.filter((e) => e.service === service.id).map((e) => e.schema);
  return [...service.schemas, ...extra].flatMap((name) => [
    { name, database, service: service.id, owner },
    { name: appSchemaOf(name), database, service: service.id, owner, helperOf: name },
  ]);
}

function roleSpec(
  service: ServiceSpec,
  settings: PostgresSettings,
  database: string,
  roleOf: ReadonlyMap<string, string>,
  schemas: readonly SchemaSpec[],
): RoleSpec {
  const override = (settings.serviceOverrides as Record<string, Partial<RoleOverride> | undefined>)[service.id] ?? {};
  const own = schemas.filter((s) => s.service === service.id);
  const defaultSearchPath = [...own.filter((s) => !s.helperOf), ...own.filter((s) => s.helperOf)]
    .map((s) => s.name)
    .concat("public");
  return {
    service: service.id,
    name: roleOf.get(service.id) as string,
    database,
    passwordVariable: passwordVariableFor(service.id),
    connectionLimit: override.connectionLimit ?? settings.roleDefaults.connectionLimit,
    statementTimeoutMs: override.statementTimeoutMs ?? settings.roleDefaults.statementTimeoutMs,
    createRole: override.createRole ?? settings.roleDefaults.createRole,
    temporaryTables: override.temporaryTables ?? settings.roleDefaults.temporaryTables,
    searchPath: override.searchPath ?? defaultSearchPath,
  };
}

type RoleOverride = {
  connectionLimit: number;
  statementTimeoutMs: number;
  createRole: boolean;
  temporaryTables: boolean;
  searchPath: string[];
};

function readGrants(
  settings: PostgresSettings,
  schemas: readonly SchemaSpec[],
  roleOf: ReadonlyMap<string, string>,
  databaseOf: (serviceId: string) => string,
): ReadGrantSpec[] {
  const seen = new Set<string>();
  return settings.readGrants.flatMap((grant, i) => {
    const key = `postgres.readGrants[${i}]`;
    const schema = schemas.find((s) => s.name === grant.schema);
    if (!schema) {
      throw new LayoutError(
        `${key}.schema: "${grant.schema}" is not a schema in this layout; allowed: ${schemas.map((s) => s.name).join(", ")}`,
      );
    }
    if (schema.service === grant.service) {
      throw new LayoutError(
        `${key}: ${grant.service} already owns ${grant.schema}; a read grant is for another service`,
      );
    }
    if (schema.database !== databaseOf(grant.service)) {
      throw new LayoutError(
        `${key}: ${grant.schema} lives in database ${schema.database} but ${grant.service} connects to ${databaseOf(grant.service)}; PostgreSQL cannot read across databases`,
      );
    }
    const id = `${grant.service}/${grant.schema}`;
    if (seen.has(id)) return [];
    seen.add(id);
    return [
      {
        database: schema.database,
        schema: schema.name,
        owner: schema.owner,
        service: grant.service,
        role: roleOf.get(grant.service) as string,
      },
    ];
  });
}

function extensions(
  settings: PostgresSettings,
  databaseNames: readonly string[],
  schemas: readonly SchemaSpec[],
): ExtensionSpec[] {
  return settings.extensions.map((ext, i) => {
    const database = ext.database ?? settings.database;
    if (!databaseNames.includes(database)) {
      throw new LayoutError(
        `postgres.extensions[${i}].database: "${database}" is not a database of this layout; allowed: ${databaseNames.join(", ")}`,
      );
    }
    const inDatabase = schemas.filter((s) => s.database === database).map((s) => s.name);
    if (ext.schema !== "public" && !inDatabase.includes(ext.schema)) {
      throw new LayoutError(
        `postgres.extensions[${i}].schema: "${ext.schema}" is not a schema of database ${database}; allowed: public, ${inDatabase.join(", ")}`,
      );
    }
    return { database, name: ext.name, schema: ext.schema };
  });
}

/** Settings may only name services that are part of this deployment. */
function checkServicesActive(settings: PostgresSettings, active: ReadonlySet<string>): void {
  const named: [string, string][] = [
    ...Object.keys(settings.serviceDatabases).map((id): [string, string] => [`postgres.serviceDatabases.${id}`, id]),
    ...Object.keys(settings.serviceOverrides).map((id): [string, string] => [`postgres.serviceOverrides.${id}`, id]),
    ...settings.readGrants.map((g, i): [string, string] => [`postgres.readGrants[${i}].service`, g.service]),
    ...settings.extraSchemas.map((e, i): [string, string] => [`postgres.extraSchemas[${i}].service`, e.service]),
  ];
  for (const [key, id] of named) {
    if (!active.has(id)) {
      throw new LayoutError(
        `${key}: service "${id}" is not enabled in this deployment (add it to services.optional); enabled: ${[...active].join(", ")}`,
      );
    }
  }
}

function checkUnique(values: readonly string[], key: string, problem: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new LayoutError(`${key}: "${v}" ${problem}`);
    seen.add(v);
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Roles of this layout other than the schema's owner and its readers: they get nothing on it. */
export function rolesWithoutAccess(layout: PostgresLayout, schema: SchemaSpec): string[] {
  const readers = new Set(layout.readGrants.filter((g) => g.schema === schema.name).map((g) => g.role));
  return layout.roles.map((r) => r.name).filter((name) => name !== schema.owner && !readers.has(name));
}
