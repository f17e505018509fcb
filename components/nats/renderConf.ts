import type { NatsPermissions } from "./model";
import { NATS_SIZE_PATTERN } from "./sizes";
import { confRaw, renderConfText, type ConfObject, type ConfRaw, type ConfValue } from "./syntax";

/**
 * The nats-server configuration: JetStream with its store and limits, the application account (JetStream on)
 * and the system account, users with passwords, no anonymous access, monitoring on loopback unless asked.
 * Pure: passwords come in as strings (bcrypt hashes in practice) or environment references, so the same
 * model renders the Docker file and the nats chart's `config.merge`. Only directives nats-server 2.9 knows.
 */

export const SYSTEM_ACCOUNT = "SYS";
/** The operator's user in the system account (server reports, `nats server …` commands). */
export const ADMIN_USER = "admin";

const BCRYPT = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** Whether a password string is a bcrypt hash, the form nats-server compares passwords against without plaintext. */
export function isBcryptHash(value: string): boolean {
  return BCRYPT.test(value);
}

export interface NatsUserEntry {
  readonly name: string;
  /** A bcrypt hash (or, in tests, a plain password), or an environment variable reference (confEnv). */
  readonly password: string | ConfRaw;
  /** Absent: unrestricted inside its account. */
  readonly permissions?: NatsPermissions;
}

export interface NatsAuthInput {
  /** The application account, JetStream enabled. */
  readonly appAccount: string;
  readonly appUsers: readonly NatsUserEntry[];
  /** Users of the system account (the admin). */
  readonly systemUsers: readonly NatsUserEntry[];
}

/** The server's certificate, key and CA as paths inside the container or pod (or on the test machine). */
export interface NatsTlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/**
 * Seconds a client has to finish the TLS handshake. nats-server's default (2 s) is easily missed when every
 * StellaOps service reconnects at once after a restart on a busy host; a failed handshake only means a retry.
 */
export const TLS_HANDSHAKE_TIMEOUT_SECONDS = 5;

/**
 * The client listener's `tls` block: server certificate and key, the CA, and no client certificates required
 * (`verify: false`: clients authenticate with user and password). With this block nats-server refuses clients
 * that do not upgrade to TLS. The same block goes into the Docker file and the chart's `config.nats.tls.merge`.
 */
export function natsTlsConfig(files: NatsTlsFiles): ConfObject {
  for (const [key, path] of Object.entries(files)) {
    if (!path.startsWith("/")) throw new Error(`TLS ${key} "${path}" must be an absolute path`);
  }
  return {
    cert_file: files.certFile,
    key_file: files.keyFile,
    ca_file: files.caFile,
    verify: false,
    timeout: TLS_HANDSHAKE_TIMEOUT_SECONDS,
  };
}

export interface NatsServerConfInput extends NatsAuthInput {
  readonly serverName?: string;
  /** Client listener: host inside the container/pod (0.0.0.0) or loopback in tests. */
  readonly listen: { readonly host: string; readonly port: number };
  /** TLS on the client listener; absent: plaintext. The monitoring endpoint stays plain HTTP either way. */
  readonly tls?: NatsTlsFiles;
  /** HTTP monitoring (/healthz, /varz); absent: no monitoring endpoint at all. */
  readonly monitor?: { readonly host: string; readonly port: number };
  readonly jetstream: {
    readonly storeDir: string;
    readonly maxFileStore: string;
    readonly maxMemoryStore: string;
  };
}

function userEntry(user: NatsUserEntry): ConfObject {
  if (user.name.length === 0) throw new Error("a NATS user needs a name");
  if (typeof user.password === "string" && user.password.length === 0) {
    throw new Error(`NATS user ${user.name} has an empty password`);
  }
  const entry: Record<string, ConfValue> = { user: user.name, password: user.password };
  if (user.permissions) {
    if (user.permissions.publish.allow.length === 0 || user.permissions.subscribe.allow.length === 0) {
      // An empty allow list means "no restriction" to nats-server, the opposite of what it looks like.
      throw new Error(`NATS user ${user.name}: an empty allow list would grant everything`);
    }
    entry.permissions = {
      publish: { allow: [...user.permissions.publish.allow] },
      subscribe: { allow: [...user.permissions.subscribe.allow] },
    };
  }
  return entry;
}

/**
 * Accounts, users and the system account. User names are unique across accounts (nats-server requires it);
 * there is no `no_auth_user`, so a connection without valid credentials is refused.
 */
export function natsAuthConfig(input: NatsAuthInput): ConfObject {
  if (input.appAccount === SYSTEM_ACCOUNT) throw new Error(`the application account cannot be ${SYSTEM_ACCOUNT}`);
  if (input.appUsers.length === 0) throw new Error("the application account needs at least one user");
  const names = [...input.appUsers, ...input.systemUsers].map((u) => u.name);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0)
    throw new Error(`NATS user names must be unique across accounts: ${duplicates.join(", ")}`);
  return {
    accounts: {
      [input.appAccount]: { jetstream: "enabled", users: input.appUsers.map(userEntry) },
      [SYSTEM_ACCOUNT]: { users: input.systemUsers.map(userEntry) },
    },
    system_account: SYSTEM_ACCOUNT,
  };
}

function hostPort(host: string, port: number): string {
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new Error(`"${host}" is not a listen address`);
  return `${host}:${port}`;
}

/** The whole configuration as a value tree (rendered to text by renderNatsServerConf). */
export function natsServerConfig(input: NatsServerConfInput): ConfObject {
  for (const size of [input.jetstream.maxFileStore, input.jetstream.maxMemoryStore]) {
    if (!NATS_SIZE_PATTERN.test(size)) throw new Error(`"${size}" is not a NATS size such as 8GB`);
  }
  const config: Record<string, ConfValue> = {};
  if (input.serverName !== undefined) config.server_name = input.serverName;
  config.listen = hostPort(input.listen.host, input.listen.port);
  if (input.tls) config.tls = natsTlsConfig(input.tls);
  if (input.monitor) config.http = hostPort(input.monitor.host, input.monitor.port);
  config.jetstream = {
    store_dir: input.jetstream.storeDir,
    max_file_store: confRaw(input.jetstream.maxFileStore),
    max_memory_store: confRaw(input.jetstream.maxMemoryStore),
  };
  return { ...config, ...natsAuthConfig(input) };
}

/** The text of nats-server.conf. */
export function renderNatsServerConf(input: NatsServerConfInput): string {
  return renderConfText(natsServerConfig(input), [
    "nats-server.conf rendered by stellaops-infra; edits here are overwritten.",
    "Passwords are bcrypt hashes; there is no anonymous user.",
  ]);
}
