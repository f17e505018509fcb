/**
 * How the superuser password reaches an existing data directory on Docker. Pure.
 *
 * The official image applies POSTGRES_PASSWORD only when it initialises an empty data directory
 * (docker-library/postgres @ 6edb0a8c, 18/trixie/docker-entrypoint.sh: `docker_setup_db` runs only when
 * `$PGDATA/PG_VERSION` is missing), so a new value in the environment changes nothing on a server that already
 * has data. The container therefore starts through a short script: when the data directory exists, it sets the
 * superuser's SCRAM verifier (uploaded as a file, root-only) in the single-user backend, before any client can
 * connect, and then hands over to the image's entrypoint unchanged. Every start applies it (idempotent), so a
 * rotation needs only the new container that the changed upload brings (uploads are ForceNew in the Docker provider).
 */

/** Where the verifier is uploaded in the container (root-only; the script reads it before dropping privileges). */
export const SUPERUSER_VERIFIER_PATH = "/etc/stellaops/postgres-superuser.scram";
/**
 * Where the plaintext password is uploaded (root-only) for POSTGRES_PASSWORD_FILE: the image's entrypoint reads it
 * as root, and only to initialise an empty data directory.
 */
export const SUPERUSER_PASSWORD_PATH = "/etc/stellaops/postgres-superuser.password";

/** What a SCRAM-SHA-256 verifier looks like in pg_authid; anything else is refused before it reaches SQL. */
const VERIFIER_REGEX = "^SCRAM-SHA-256[$][0-9]+:[A-Za-z0-9+/=]+[$][A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$";

/**
 * The shell script run as the container's command (`sh -c <script> <name> postgres -c …`): its arguments are the
 * server command, passed on to `docker-entrypoint.sh`. Runs as root in the image (then `gosu postgres`, the tool
 * the image's own entrypoint uses) or as the data directory's owner (tests). `log_min_error_statement=panic` keeps
 * the statement, verifier included, out of the log if it fails; a failure stops the container, so `wait` fails.
 */
export function superuserPasswordStartScript(verifierPath: string = SUPERUSER_VERIFIER_PATH): string {
  return [
    "set -eu",
    'if [ -s "$PGDATA/PG_VERSION" ]; then',
    `  verifier="$(cat '${verifierPath}')"`,
    `  if ! printf '%s' "$verifier" | grep -Eq '${VERIFIER_REGEX}'; then`,
    `    echo "stellaops: ${verifierPath} does not hold a SCRAM-SHA-256 verifier" >&2; exit 1`,
    "  fi",
    '  if [ "$(id -u)" = 0 ]; then as_owner="gosu postgres"; else as_owner=""; fi',
    '  errors="$(printf "ALTER ROLE postgres PASSWORD \'%s\';\\n" "$verifier" \\',
    '    | $as_owner postgres --single -D "$PGDATA" -c log_min_error_statement=panic postgres 2>&1 >/dev/null)" || {',
    '    echo "stellaops: setting the superuser password failed: $errors" >&2; exit 1; }',
    '  case "$errors" in *ERROR*|*FATAL*) echo "stellaops: setting the superuser password failed: $errors" >&2; exit 1;; esac',
    "fi",
    'exec docker-entrypoint.sh "$@"',
  ].join("\n");
}

/** The container command: the start script, then the server command as its arguments. */
export function dockerStartCommand(serverCommand: readonly string[], verifierPath?: string): string[] {
  return ["/bin/sh", "-c", superuserPasswordStartScript(verifierPath), "stellaops-postgres-start", ...serverCommand];
}
