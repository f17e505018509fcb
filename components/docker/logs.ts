import { z } from "zod";

/**
 * `stellaops-infra:docker.logs`: how every container's stdout/stderr is kept on the Docker host. Without a limit
 * Docker's json-file log grows until the disk is full (the daemon's default has no max-size), and a full disk stops
 * PostgreSQL and Valkey. Both drivers offered rotate by size and keep `docker logs` working; log shippers that read
 * the host's `/var/lib/docker/containers/*\/*-json.log` need `json-file` (`local` writes a compressed binary format).
 */

/** Log drivers that rotate by `max-size` / `max-file` (Docker's json-file and local drivers both read these). */
export const DOCKER_LOG_DRIVERS = ["json-file", "local"] as const;

const SIZE_RULE = 'must be a whole number (1-99999) of megabytes or gigabytes such as "20m" or "1g"';
const FILES_RULE = "must be a whole number of files (1-100)";

export const dockerLogSettings = z.strictObject({
  driver: z.enum(DOCKER_LOG_DRIVERS, { error: 'must be "json-file" or "local"' }).default("json-file"),
  /** Size at which Docker starts a new log file (Docker's `max-size`). */
  maxSize: z
    .string({ error: SIZE_RULE })
    .regex(/^[1-9][0-9]{0,4}[mg]$/, { error: SIZE_RULE })
    .default("20m"),
  /** Log files kept per container, the current one included (Docker's `max-file`). */
  maxFiles: z
    .number({ error: FILES_RULE })
    .int({ error: FILES_RULE })
    .min(1, { error: FILES_RULE })
    .max(100, { error: FILES_RULE })
    .default(5),
});
export type DockerLogSettings = z.infer<typeof dockerLogSettings>;

/** The container's `logDriver` and `logOpts` (Docker's option names; values are strings in the API). */
export function dockerLogOptions(settings: DockerLogSettings): { logDriver: string; logOpts: Record<string, string> } {
  return {
    logDriver: settings.driver,
    logOpts: { "max-size": settings.maxSize, "max-file": String(settings.maxFiles) },
  };
}
