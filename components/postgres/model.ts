import { activeServices, appSchemaOf, type ServiceSpec } from "../catalog";
import { SettingsError, settingsKey, underKey, type SettingsProblem } from "../settingsProblem";
import { roleNameProblem } from "./identifiers";
import type { PostgresSettings } from "./settings";

/**
 * The PostgreSQL layout as plain data, built from the catalog and the settings: databases, one LOGIN role per
 * service owning its schemas (and their `_app` helper schemas), and the few grants that cross those lines.
 * Pure: both renderings (Pulumi resources in database.ts, the psql script in renderSql.ts) read only this.
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

/** Service id as it appears in identifiers: `evidence-locker` → `evidence_locker`. */
export function identifierPart(serviceId: string): string {
  return serviceId.replace(/-/g, "_");
}

/** The role name the pattern gives a service, valid or not. */
function roleNameOf(pattern: string, serviceId: string): string {
  return pattern.replace("{service}", identifierPart(serviceId));
}

/** Why the role name pattern gives no role name PostgreSQL accepts for a service; undefined when it does. */
function patternRoleNameProblem(pattern: string, serviceId: string): string | undefined {
  const problem = roleNameProblem(roleNameOf(pattern, serviceId));
  return problem && `"${pattern}" gives a bad role name for service ${serviceId}: ${problem}`;
}

export function roleNameFor(pattern: string, serviceId: string): string {
  const problem = patternRoleNameProblem(pattern, serviceId);
  if (problem !== undefined) {
    throw new SettingsError(underKey(["postgres"], [{ path: ["roleNamePattern"], message: problem }]));
  }
  return roleNameOf(pattern, serviceId);
}

/** The layout's login role per active service, valid or not (the problems say which are not). */
export function layoutRoleNames(
  settings: PostgresSettings,
  enabledOptionalServices: readonly string[] = [],
): Map<string, string> {
  return new Map(
    activeServices(enabledOptionalServices).map((s) => [s.id, roleNameOf(settings.roleNamePattern, s.id)]),
  );
}

/** The databases the layout creates (or adopts), main database first. */
export function layoutDatabaseNames(settings: PostgresSettings): string[] {
  return unique([settings.database, ...Object.values(settings.serviceDatabases).filter((d) => d !== undefined)]);
}

export function passwordVariableFor(serviceId: string): string {
  return `pw_${identifierPart(serviceId)}`;
}

/**
 * Every way the settings contradict the layout (services not enabled, unknown schemas, collisions), each with its
 * path relative to the `postgres` block. A cross-block rule (services.optional): profiles/componentRules.ts reports
 * these with the rest of the stack config's problems.
 */
export function postgresLayoutProblems(
  settings: PostgresSettings,
  enabledOptionalServices: readonly string[] = [],
): SettingsProblem[] {
  return layoutWithProblems(settings, enabledOptionalServices).problems;
}

/**
 * Builds the layout. `enabledOptionalServices` is `services.optional` from the stack config.
 * Throws SettingsError listing every problem (postgresLayoutProblems) when settings refer to things the layout does
 * not have: they come out of the same pass that builds it, and the config loader has reported them already.
 */
export function buildLayout(
  settings: PostgresSettings,
  enabledOptionalServices: readonly string[] = [],
): PostgresLayout {
  const { layout, problems } = layoutWithProblems(settings, enabledOptionalServices);
  if (problems.length > 0) throw new SettingsError(underKey(["postgres"], problems));
  return layout;
}

/** The layout and what is wrong with it; a problem skips only the part it concerns, so every one is found. */
function layoutWithProblems(
  settings: PostgresSettings,
  enabledOptionalServices: readonly string[],
): { layout: PostgresLayout; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const services = activeServices(enabledOptionalServices);
  const activeIds = new Set(services.map((s) => s.id));
  problems.push(...inactiveServiceProblems(settings, activeIds));

  const databaseOf = (serviceId: string): string =>
    (settings.serviceDatabases as Record<string, string | undefined>)[serviceId] ?? settings.database;
  const roleOf = new Map(services.map((s) => [s.id, roleNameOf(settings.roleNamePattern, s.id)]));
  const badRoleName = services.map((s) => patternRoleNameProblem(settings.roleNamePattern, s.id)).find((p) => p);
  if (badRoleName) problems.push({ path: ["roleNamePattern"], message: badRoleName });
  for (const name of duplicates([...roleOf.values()])) {
    problems.push({
      path: ["roleNamePattern"],
      message: `"${name}" gives the same role name to two services`,
    });
  }

  const schemas = services.flatMap((service) => serviceSchemas(service, settings, databaseOf(service.id), roleOf));
  const extraPath = (schema: string): (string | number)[] => {
    const i = settings.extraSchemas.findIndex((e) => e.schema === schema || appSchemaOf(e.schema) === schema);
    return i >= 0 ? ["extraSchemas", i, "schema"] : ["extraSchemas"];
  };
  // One problem per extra schema entry, not one more for its `_app` helper colliding too.
  const collided = new Set<string>();
  for (const name of duplicates(schemas.map((s) => s.name))) {
    const path = extraPath(name);
    if (collided.has(settingsKey(path))) continue;
    collided.add(settingsKey(path));
    problems.push({
      path,
      message: `"${name}" names a schema that already exists in the layout (schema names are unique across databases)`,
    });
  }

  const roles = services.map((service) => roleSpec(service, settings, databaseOf(service.id), roleOf, schemas));
  const databaseNames = unique([settings.database, ...services.map((s) => databaseOf(s.id))]);
  const databases = databaseNames.map((name) => ({
    name,
    services: services.filter((s) => databaseOf(s.id) === name).map((s) => s.id),
  }));

  const grants = readGrants(settings, schemas, roleOf, databaseOf, problems);
  problems.push(...searchPathProblems(settings, schemas, grants, activeIds));
  const layout: PostgresLayout = {
    databases,
    roles,
    schemas,
    readGrants: grants,
    extensions: extensions(settings, databaseNames, schemas, problems),
    encoding: "UTF8",
    ...(settings.locale !== undefined ? { locale: settings.locale } : {}),
  };
  return { layout, problems };
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
  problems: SettingsProblem[],
): ReadGrantSpec[] {
  const seen = new Set<string>();
  return settings.readGrants.flatMap((grant, i) => {
    const key = ["readGrants", i];
    // A grant for a service that is not enabled is reported by inactiveServiceProblems.
    if (!roleOf.has(grant.service)) return [];
    const schema = schemas.find((s) => s.name === grant.schema);
    if (!schema) {
      problems.push({
        path: [...key, "schema"],
        message: `"${grant.schema}" is not a schema in this layout; allowed: ${schemas.map((s) => s.name).join(", ")}`,
      });
      return [];
    }
    if (schema.service === grant.service) {
      problems.push({
        path: key,
        message: `${grant.service} already owns ${grant.schema}; a read grant is for another service`,
      });
      return [];
    }
    if (schema.database !== databaseOf(grant.service)) {
      problems.push({
        path: key,
        message: `${grant.schema} lives in database ${schema.database} but ${grant.service} connects to ${databaseOf(grant.service)}; PostgreSQL cannot read across databases`,
      });
      return [];
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
  problems: SettingsProblem[],
): ExtensionSpec[] {
  return settings.extensions.flatMap((ext, i) => {
    const database = ext.database ?? settings.database;
    if (!databaseNames.includes(database)) {
      problems.push({
        path: ["extensions", i, "database"],
        message: `"${database}" is not a database of this layout; allowed: ${databaseNames.join(", ")}`,
      });
      return [];
    }
    const inDatabase = schemas.filter((s) => s.database === database).map((s) => s.name);
    if (ext.schema !== "public" && !inDatabase.includes(ext.schema)) {
      problems.push({
        path: ["extensions", i, "schema"],
        message: `"${ext.schema}" is not a schema of database ${database}; allowed: public, ${inDatabase.join(", ")}`,
      });
      return [];
    }
    return [{ database, name: ext.name, schema: ext.schema }];
  });
}

/**
 * A configured search_path may name only what the role can use: its own schemas (and `_app` helpers), the schemas
 * it has read grants on, and public. PostgreSQL silently skips any other entry (missing, or no USAGE), so the
 * service would resolve names somewhere else than the operator meant. `$user` is not offered: no layout schema is
 * named after a role.
 */
function searchPathProblems(
  settings: PostgresSettings,
  schemas: readonly SchemaSpec[],
  grants: readonly ReadGrantSpec[],
  active: ReadonlySet<string>,
): SettingsProblem[] {
  const overrides = settings.serviceOverrides as Record<string, Partial<RoleOverride> | undefined>;
  return Object.entries(overrides).flatMap(([service, override]) => {
    // Overrides of a service that is not enabled are reported by inactiveServiceProblems.
    if (!active.has(service) || !override?.searchPath) return [];
    const usable = [
      ...schemas.filter((s) => s.service === service).map((s) => s.name),
      ...grants.filter((g) => g.service === service).map((g) => g.schema),
      "public",
    ];
    return override.searchPath.flatMap((entry, i) =>
      usable.includes(entry)
        ? []
        : [
            {
              path: ["serviceOverrides", service, "searchPath", i],
              message: `"${entry}" is not a schema ${service} can use; allowed: ${usable.join(", ")} (its own schemas, those it has read grants on, public)`,
            },
          ],
    );
  });
}

/** Settings may only name services that are part of this deployment. */
function inactiveServiceProblems(settings: PostgresSettings, active: ReadonlySet<string>): SettingsProblem[] {
  const named: [(string | number)[], string][] = [
    ...Object.keys(settings.serviceDatabases).map((id): [string[], string] => [["serviceDatabases", id], id]),
    ...Object.keys(settings.serviceOverrides).map((id): [string[], string] => [["serviceOverrides", id], id]),
    ...settings.readGrants.map((g, i): [(string | number)[], string] => [["readGrants", i, "service"], g.service]),
    ...settings.extraSchemas.map((e, i): [(string | number)[], string] => [["extraSchemas", i, "service"], e.service]),
  ];
  return named
    .filter(([, id]) => !active.has(id))
    .map(([path, id]) => ({
      path,
      message: `service "${id}" is not enabled in this deployment (add it to services.optional); enabled: ${[...active].join(", ")}`,
    }));
}

/** Values that occur more than once, each listed once. */
function duplicates(values: readonly string[]): string[] {
  return unique(values.filter((v, i) => values.indexOf(v) !== i));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Roles of this layout other than the schema's owner and its readers: they get nothing on it. */
export function rolesWithoutAccess(layout: PostgresLayout, schema: SchemaSpec): string[] {
  const readers = new Set(layout.readGrants.filter((g) => g.schema === schema.name).map((g) => g.role));
  return layout.roles.map((r) => r.name).filter((name) => name !== schema.owner && !readers.has(name));
}
