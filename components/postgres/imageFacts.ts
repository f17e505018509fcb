/**
 * What the official PostgreSQL image's entrypoint does with the superuser password, read from its source at the
 * pinned major (18). Pure data: components/postgres/docker.ts is built on these, the unit tier asserts it.
 */

export interface ImageFactSource {
  readonly repository: string;
  /** A release tag or commit. */
  readonly ref: string;
  readonly file: string;
  /** The function or line the fact comes from. */
  readonly symbol: string;
}

export interface ImageFact {
  readonly id: string;
  readonly fact: string;
  readonly source: ImageFactSource;
}

const entrypoint = (symbol: string): ImageFactSource => ({
  repository: "docker-library/postgres",
  // The commit that built 18.1 (the default image); these functions are unchanged up to 6edb0a8c4d (18.3), and
  // 18/bookworm has the same file.
  ref: "8813daba48 (Update 18 to 18.1)",
  file: "18/trixie/docker-entrypoint.sh",
  symbol,
});

/** The env variable the entrypoint reads the superuser password file from (`file_env 'POSTGRES_PASSWORD'`). */
export const POSTGRES_PASSWORD_FILE_ENV = "POSTGRES_PASSWORD_FILE";

export const POSTGRES_IMAGE_FACTS: readonly ImageFact[] = [
  {
    id: "password-file",
    fact: "docker_setup_env calls `file_env 'POSTGRES_PASSWORD'`: with POSTGRES_PASSWORD_FILE set (and POSTGRES_PASSWORD unset; both set is an error) the password is read with `$(< file)` (trailing newlines stripped), exported as POSTGRES_PASSWORD in the entrypoint's own process, and POSTGRES_PASSWORD_FILE is unset",
    source: entrypoint("file_env; docker_setup_env"),
  },
  {
    id: "read-as-root",
    fact: '_main runs docker_setup_env before `exec gosu postgres "$BASH_SOURCE" "$@"` when started as root, so a root-only (0400) file is read as root and the postgres user receives the value in its environment, never the file',
    source: entrypoint("_main"),
  },
  {
    id: "password-at-init-only",
    fact: "the password is used only when the data directory is initialised (docker_setup_db runs only without DATABASE_ALREADY_EXISTS); a later start ignores it",
    source: entrypoint("_main; docker_setup_db"),
  },
];
