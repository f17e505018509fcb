/**
 * What the rustfs/rustfs image and server do with the settings this program gives them, read from RustFS's own
 * source. Pure data: components/objectStore/{rustfs,docker,kubernetes}.ts are built on these, the unit tier
 * asserts it.
 *
 * The image default is `rustfs/rustfs:1.0.0`; the newest stored snapshot of rustfs/rustfs has no `1.0.0` tag, so
 * each fact is read at `1.0.0-rc.3` (1aae6803) and checked unchanged at 20d12664 (main, 2026-08-23), the newest
 * commit stored. Re-read them at the 1.0.0 tag when it is available.
 */

export interface RustfsFactSource {
  readonly repository: "rustfs/rustfs";
  readonly ref: string;
  readonly file: string;
  readonly symbol: string;
}

export interface RustfsFact {
  readonly id: string;
  readonly fact: string;
  readonly source: RustfsFactSource;
}

const at = (file: string, symbol: string): RustfsFactSource => ({
  repository: "rustfs/rustfs",
  ref: "1.0.0-rc.3 (1aae6803), unchanged at 20d12664",
  file,
  symbol,
});

/** Env variables RustFS reads its root credentials from, as a path to a file holding each. */
export const RUSTFS_ACCESS_KEY_FILE_ENV = "RUSTFS_ACCESS_KEY_FILE";
export const RUSTFS_SECRET_KEY_FILE_ENV = "RUSTFS_SECRET_KEY_FILE";
/** Liveness: 200 as soon as the HTTP server runs. */
export const RUSTFS_LIVENESS_PATH = "/health";
/** Readiness: 503 until storage and IAM are ready. */
export const RUSTFS_READINESS_PATH = "/health/ready";
/**
 * The image sets `RUSTFS_OBS_LOG_DIRECTORY=/logs`, which makes RustFS write its logs to rolling files there only.
 * Set to the empty string, the entrypoint and the server both fall back to JSON logs on stdout.
 */
export const RUSTFS_LOGS_TO_STDOUT = { name: "RUSTFS_OBS_LOG_DIRECTORY", value: "" } as const;

export const RUSTFS_FACTS: readonly RustfsFact[] = [
  {
    id: "credential-files",
    fact: "RUSTFS_ACCESS_KEY_FILE / RUSTFS_SECRET_KEY_FILE (clap `env` of --access-key-file / --secret-key-file) name files whose content, trimmed, is the root access key / secret key; each is exclusive with RUSTFS_ACCESS_KEY / RUSTFS_SECRET_KEY",
    source: at(
      "rustfs/src/config/cli.rs; rustfs/src/config/config_struct.rs",
      "Opt.access_key_file; resolve_credential",
    ),
  },
  {
    id: "credential-files-entrypoint",
    fact: "the image's entrypoint refuses both a key and its _FILE variable, and a _FILE that the running user cannot read (`[ ! -r file ]`): the file must be readable by uid 10001",
    source: at("entrypoint.sh", "resolve_credential_source; validate_credential_source"),
  },
  {
    id: "image-user",
    fact: "the image creates user rustfs with uid 10001 and runs as it (`USER rustfs`); /data and /logs are rustfs:rustfs 0750",
    source: at("Dockerfile", "runtime stage: adduser -u 10001; USER rustfs"),
  },
  {
    id: "health-liveness",
    fact: "/health (also /health/live) is the liveness probe: it answers 200 while storage or IAM are not ready",
    source: at(
      "rustfs/src/server/layer.rs; rustfs/src/admin/handlers/health.rs",
      "probe_from_path; test_liveness_state_iam_not_ready",
    ),
  },
  {
    id: "health-readiness",
    fact: "/health/ready is the readiness probe: 503 (`degraded`) until storage and IAM are ready, then 200; both are public routes on the S3 port",
    source: at(
      "rustfs/src/server/prefix.rs; rustfs/src/admin/handlers/health.rs; rustfs/src/admin/route_policy.rs",
      "HEALTH_READY_PATH; register_health_route; test_readiness_state_storage_not_ready",
    ),
  },
  {
    id: "logs-to-files",
    fact: "the image sets RUSTFS_OBS_LOG_DIRECTORY=/logs (and RUSTFS_OBS_ENVIRONMENT=production); with a log directory and no OTLP endpoint, logs go to rolling files in it, mirrored to stdout only when RUSTFS_OBS_LOG_STDOUT_ENABLED is true or the environment is not production",
    source: at("Dockerfile; crates/obs/src/telemetry/local.rs", "runtime ENV; init_local_logging"),
  },
  {
    id: "logs-to-stdout",
    fact: "RUSTFS_OBS_LOG_DIRECTORY set to the empty string means no log directory: the server logs JSON to stdout only, and the entrypoint skips creating a log directory",
    source: at(
      "crates/obs/src/config.rs; crates/obs/src/telemetry/mod.rs; entrypoint.sh",
      "extract_otel_config_from_env; init_telemetry; process_log_directory",
    ),
  },
];
