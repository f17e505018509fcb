import type { ValkeySettings } from "./settings";

/**
 * valkey.conf renderers, pure. StellaOps keeps nonces, queues, streams and rate-limit buckets in Valkey, so the
 * configuration favours not losing keys: AOF every second plus RDB snapshots, an explicit memory limit and no
 * eviction (writes fail loudly at the limit instead of keys disappearing).
 */

export type DurabilitySettings = Pick<ValkeySettings, "maxmemory" | "maxmemoryPolicy" | "appendfsync" | "savePoints">;

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

export interface ValkeyConfOptions {
  readonly settings: DurabilitySettings;
  /** Port clients connect to (TLS-only when tls is set). */
  readonly port: number;
  /** Addresses to listen on inside the server's network namespace. */
  readonly bind: readonly string[];
  /** Data directory (AOF directory and dump.rdb). */
  readonly dir: string;
  readonly aclFile: string;
  readonly tls?: TlsFiles;
}

/** Persistence, memory and safety directives, shared by every self-hosted rendering. */
export function durabilityDirectives(settings: DurabilitySettings): string[] {
  return [
    "# Persistence: append-only file fsynced every second (or always), plus RDB snapshots.",
    "appendonly yes",
    `appendfsync ${settings.appendfsync}`,
    "aof-use-rdb-preamble yes",
    // An empty list turns RDB snapshots off (`save ""`); the AOF stays on either way.
    settings.savePoints.length > 0
      ? `save ${settings.savePoints.map((p) => `${p.seconds} ${p.changes}`).join(" ")}`
      : 'save ""',
    "stop-writes-on-bgsave-error yes",
    "",
    "# Memory: an explicit limit; at the limit writes fail instead of keys being evicted (unless configured).",
    `maxmemory ${settings.maxmemory.toLowerCase()}`,
    `maxmemory-policy ${settings.maxmemoryPolicy}`,
    "",
    "# The default user is disabled without a password (not nopass), so protected mode never locks clients out;",
    "# it still refuses remote connections should a nopass default user ever appear.",
    "protected-mode yes",
    "",
    "# DEBUG and MODULE LOAD are refused to every user, admins included (Valkey's defaults, stated explicitly).",
    "enable-debug-command no",
    "enable-module-command no",
  ];
}

/** A complete valkey.conf for a server this program runs itself (Docker, integration tests). */
export function renderValkeyConf(options: ValkeyConfOptions): string {
  const network = options.tls
    ? [
        "# TLS only: the plaintext port is closed.",
        "port 0",
        `tls-port ${options.port}`,
        `tls-cert-file ${options.tls.certFile}`,
        `tls-key-file ${options.tls.keyFile}`,
        `tls-ca-cert-file ${options.tls.caFile}`,
        "# Clients authenticate with ACL passwords; client certificates are not required.",
        "tls-auth-clients no",
      ]
    : [`port ${options.port}`];
  return [
    // The file's old name stays in this line: a new text would change every uploaded valkey.conf, and so replace
    // every Valkey container, for a comment.
    "# Rendered by stellaops-infra (components/valkey/conf.ts); edit the stack config, not this file.",
    `bind ${options.bind.join(" ")}`,
    ...network,
    `dir ${options.dir}`,
    `aclfile ${options.aclFile}`,
    "",
    ...durabilityDirectives(options.settings),
    "",
  ].join("\n");
}

/**
 * The part of valkey.conf the valkey-io chart appends to its own (`valkeyConfig`): the chart already writes
 * port, bind, dir, TLS and aclfile, so only durability and memory directives go here.
 */
export function renderChartValkeyConf(settings: DurabilitySettings): string {
  return [...durabilityDirectives(settings), ""].join("\n");
}
