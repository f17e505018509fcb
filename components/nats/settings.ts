import { z } from "zod";
import {
  chartSource,
  dockerHostDirectory,
  imageRef,
  kubernetesObjectName,
  port,
  secretString,
  storageQuantity,
  version,
} from "../settingsCommon";
import { NATS_SIZE_PATTERN } from "./sizes";

/**
 * `stellaops-infra:nats`: optional JetStream transport. Off unless `enabled: true`; any other NATS setting
 * without `enabled` is a config error (checked in profiles/config.ts), so NATS never appears by accident.
 */

/** NATS size syntax: 8GB and 8GiB are binary (8 × 1024³), 8G is decimal (8 × 1000³). */
const natsSize = z.string({ error: 'must be a size such as "8GB" or "256MB"' }).regex(NATS_SIZE_PATTERN, {
  error: 'must be a size such as "8GB" or "256MB" (a whole number with K, KB, M, MB, G, GB, T or TB)',
});

/** JetStream account/stream names: the names appear inside subjects, so no dots, wildcards or spaces. */
const accountName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,31}$/, {
    error: "must be an upper-case account name such as STELLAOPS (letters, digits, underscores; at most 32)",
  })
  .refine((name) => name !== "SYS", { error: "must not be SYS: that is the system account" });

/** The oldest nats-server the rendered configuration is proven on (Debian bookworm's 2.9). */
export const MIN_NATS_VERSION = [2, 9] as const;

export const natsSettings = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).default(false),
  /**
   * The NATS server version the configuration targets. The rendered file uses only directives NATS 2.9 already
   * understands; older servers are refused.
   */
  version: version.default("2.12.1").refine(
    (v) => {
      const [major, minor = 0] = v.split(".").map(Number);
      return major > MIN_NATS_VERSION[0] || (major === MIN_NATS_VERSION[0] && minor >= MIN_NATS_VERSION[1]);
    },
    { error: "must be NATS 2.9 or newer (accounts with JetStream, bcrypt passwords, /healthz)" },
  ),
  /**
   * `shared`: one application user for every StellaOps service that uses NATS; `per-service`: one user per service,
   * allowed only its own subjects and the JetStream API of its own streams.
   */
  userMode: z.enum(["shared", "per-service"], { error: 'must be "shared" or "per-service"' }).default("shared"),
  /**
   * per-service mode: each service gets its own reply-inbox prefix (`_INBOX.<service>`), so no service can
   * subscribe to another's replies (JetStream API answers and pulled messages arrive on inboxes). The service
   * must then set its NATS client's inbox prefix to the `inboxPrefix` output. Off: every user may subscribe to
   * `_INBOX.>`, which works with any client but lets a service read others' replies.
   */
  perServiceInboxes: z.boolean({ error: "must be true or false" }).default(true),
  /** The application account every StellaOps user belongs to; JetStream is enabled for it. */
  account: accountName.default("STELLAOPS"),
  jetstream: z
    .strictObject({
      /** Upper bound of JetStream file storage (stream data on the volume). */
      maxFileStore: natsSize.default("8GB"),
      /** Upper bound of JetStream memory storage (memory-backed streams). */
      maxMemoryStore: natsSize.default("256MB"),
    })
    .prefault({}),
  /** Port of the HTTP monitoring endpoint (/healthz, /varz) inside the container or pod. */
  monitorPort: port.default(8222),
});
export type NatsSettings = z.infer<typeof natsSettings>;

/** `stellaops-infra:docker.nats` */
export const natsDockerSettings = z.strictObject({
  /**
   * The `-alpine` variant: the plain tags are scratch images holding only nats-server, with no HTTP client for the
   * healthcheck (busybox wget against /healthz).
   */
  image: imageRef.default("nats:2.12.1-alpine"),
  /** Client port published on docker.bindAddress. */
  hostPort: port.default(4222),
  /** Publish the monitoring endpoint on docker.bindAddress at this port; unpublished (loopback only) when absent. */
  monitorHostPort: port.optional(),
  /**
   * TLS from a directory on the Docker host holding tls.crt, tls.key and ca.crt, mounted read-only at /tls (the
   * same shape as docker.valkey.tls). The key never passes through Pulumi state. When set, the client port
   * accepts TLS clients only; the monitoring endpoint stays plain HTTP.
   */
  tls: z
    .strictObject({
      hostDir: dockerHostDirectory("/etc/nats-tls"),
    })
    .optional(),
});
export type NatsDockerSettings = z.infer<typeof natsDockerSettings>;

/** The nats chart builds the image as `repository:tag`, so a reference needs a tag (a digest may follow it). */
function hasTag(ref: string): boolean {
  const withoutDigest = ref.replace(/@sha256:[a-f0-9]{64}$/, "");
  const lastSlash = withoutDigest.lastIndexOf("/");
  return withoutDigest.slice(lastSlash + 1).includes(":");
}

/** `stellaops-infra:kubernetes.nats` */
export const natsKubernetesSettings = z.strictObject({
  /** The official nats-io `nats` chart (1.x values layout). */
  chart: chartSource.default({
    repository: "https://nats-io.github.io/k8s/helm/charts/",
    chart: "nats",
    version: "1.3.13",
  }),
  /** Helm release name; also the Service name clients connect to (`<releaseName>.<namespace>.svc`). */
  releaseName: z
    .string()
    .regex(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/, {
      error: "must be a DNS label of at most 32 characters (lowercase letters, digits, hyphens)",
    })
    .default("nats"),
  image: imageRef
    .refine(hasTag, {
      error:
        "must include a tag (repository:tag, optionally followed by @sha256:<digest>): the chart builds repository:tag",
    })
    .default("nats:2.12.1-alpine"),
  /** NATS servers: 1 (no cluster) or at least 3 (a JetStream cluster needs a quorum). */
  replicas: z
    .number({ error: "must be a whole number: 1, or 3 or more" })
    .int({ error: "must be a whole number: 1, or 3 or more" })
    .min(1, { error: "must be 1, or 3 or more" })
    .refine((r) => r === 1 || r >= 3, {
      error: "must be 1 (single server) or 3 or more: a JetStream cluster of 2 has no quorum when one server is down",
    })
    .default(1),
  /** Size of each server's JetStream volume (PVC); must hold nats.jetstream.maxFileStore. */
  storageSize: storageQuantity.default("10Gi"),
  /** Storage class of the JetStream volumes; kubernetes.storageClass (or the cluster default) when absent. */
  storageClass: kubernetesObjectName.optional(),
  /**
   * Existing Secret in the namespace with tls.crt, tls.key and ca.crt (a cert-manager Certificate's Secret has
   * them): turns client TLS on through the chart's config.nats.tls. Same key name as kubernetes.valkey.tlsSecretName.
   */
  tlsSecretName: kubernetesObjectName.optional(),
});
export type NatsKubernetesSettings = z.infer<typeof natsKubernetesSettings>;

/** `stellaops-infra:external.nats`: an existing NATS server the operator runs. */
export const natsExternalSettings = z.strictObject({
  /**
   * Host and port only: the URL goes into every service's connection output and gets the credentials as userinfo,
   * so userinfo of its own ('@'), a query or fragment ('?', '#') would break or redirect them.
   */
  url: z.string().regex(/^nats:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, {
    error:
      "must be a URL nats://host:port (a host name, IPv4 or [IPv6] address; no user, path or query), such as nats://nats.internal:4222",
  }),
  /**
   * Whether the existing server requires TLS on its client port (as external.valkey.tls). Only reported in the
   * outputs: the URL keeps the nats:// form, and the services must trust the server's CA.
   */
  tls: z.boolean({ error: "must be true or false" }).default(false),
  /** The user every StellaOps service connects as. */
  user: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a user name (letters, digits, '.', '_', '-')" })
    .default("stellaops"),
  password: secretString,
  /** Reply-inbox prefix the services must use, when the existing server restricts inbox subscriptions. */
  inboxPrefix: z
    .string()
    .regex(/^_?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { error: "must be a subject prefix such as _INBOX" })
    .default("_INBOX"),
});
export type NatsExternalSettings = z.infer<typeof natsExternalSettings>;
