import type * as pulumi from "@pulumi/pulumi";
import { ADMIN_USER, natsAuthConfig, natsTlsConfig, type NatsTlsFiles } from "./renderConf";
import type { NatsAppUserSpec } from "./model";
import type { NatsKubernetesSettings, NatsSettings } from "./settings";
import { confEnv, confString, toChartMerge, type ChartValue } from "./syntax";
import { NATS_CLIENT_PORT } from "./server";

/**
 * Values for the official nats-io `nats` chart (1.x layout: `config.*`, `container.*`, `podTemplate.*`). Pure.
 *
 * Credentials never enter the values: each user's password in `config.merge` is a `$VARIABLE` reference
 * (written `<< $X >>`, which the chart leaves unquoted), and the container gets the variable from a Secret this
 * program owns. The Secret holds bcrypt hashes wrapped in double quotes, because nats-server parses an
 * environment variable's value as a config value and a bare `$2a$…` would read as a variable reference.
 */

export const CLUSTER_PORT = 6222;
export const STORE_DIR = "/data";
/** The user cluster routes authenticate as (route authorization is separate from client accounts). */
export const ROUTE_USER = "route";
/** Sorts before NATS_ROUTE_URL_*: Kubernetes expands $(VAR) only from variables listed earlier, and the chart lists them sorted. */
export const ROUTE_PASSWORD_ENV = "NATS_ROUTE_PASSWORD";
export const ROUTE_PASSWORD_BCRYPT_ENV = "NATS_ROUTE_PASSWORD_BCRYPT";
export const ROUTE_PASSWORD_KEY = "route.password";
export const ROUTE_BCRYPT_KEY = "route.bcrypt";
/** Where the chart mounts config.nats.tls.secretName (the chart's own default directory, set explicitly). */
export const CHART_TLS_DIR = "/etc/nats-certs/nats";
/** Keys of the TLS Secret: a kubernetes.io/tls Secret's, plus ca.crt as cert-manager writes it. */
export const TLS_SECRET_KEYS = { cert: "tls.crt", key: "tls.key", ca: "ca.crt" } as const;

export const CHART_TLS_FILES: NatsTlsFiles = {
  certFile: `${CHART_TLS_DIR}/${TLS_SECRET_KEYS.cert}`,
  keyFile: `${CHART_TLS_DIR}/${TLS_SECRET_KEYS.key}`,
  caFile: `${CHART_TLS_DIR}/${TLS_SECRET_KEYS.ca}`,
};

/**
 * The chart's `config.nats.tls`: it mounts the Secret at `dir` and writes cert_file/key_file from `cert`/`key`;
 * `merge` adds the rest of the same `tls` block the Docker file has (ca_file, verify: false, timeout). The chart
 * then marks the Services' client port `appProtocol: tls`. Monitoring (the probes) stays plain HTTP.
 */
export function chartClientTls(secretName: string): Record<string, unknown> {
  return {
    enabled: true,
    secretName,
    dir: CHART_TLS_DIR,
    cert: TLS_SECRET_KEYS.cert,
    key: TLS_SECRET_KEYS.key,
    merge: toChartMerge(natsTlsConfig(CHART_TLS_FILES)),
  };
}

/**
 * Who nats-server runs as. The official image declares no USER, so without this it runs as root
 * (nats-io/nats-docker @ 5b46acd "Release v2.12.1", 2.12.x/alpine3.22/Dockerfile); it needs to write only the
 * pid directory (an emptyDir) and the JetStream store (the PVC, group-owned through fsGroup).
 */
export const NATS_UID = 1000;
export const NATS_GID = 1000;

/**
 * PodSecurity `restricted` for the pod: non-root, RuntimeDefault seccomp, and fsGroup so the kubelet hands the
 * JetStream volume (including one a root-run server wrote before) to the group; OnRootMismatch skips the
 * recursive walk once the volume's root already matches, so a large store does not slow every start.
 */
export const NATS_POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: NATS_UID,
  runAsGroup: NATS_GID,
  fsGroup: NATS_GID,
  fsGroupChangePolicy: "OnRootMismatch",
  seccompProfile: { type: "RuntimeDefault" },
} as const;

/** PodSecurity `restricted` for each container; nats-server writes nothing outside its volumes. */
export const NATS_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
} as const;

export function routeUrlEnv(index: number): string {
  return `NATS_ROUTE_URL_${index}`;
}

/** Environment variable holding a user's quoted bcrypt hash. */
export function bcryptEnvName(user: string): string {
  return `NATS_BCRYPT_${user.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Key of a user's quoted bcrypt hash in the credentials Secret. */
export function bcryptSecretKey(user: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(user)) throw new Error(`"${user}" cannot name a Secret key`);
  return `${user}.bcrypt`;
}

/**
 * How the value of a hash's environment variable must look: a quoted conf string, because nats-server parses the
 * variable's value as a config value (and a bare `$2a$…` would read as a variable reference).
 */
export function quotedForEnv(bcryptHash: string): string {
  return confString(bcryptHash);
}

export interface NatsChartValuesInput {
  readonly settings: NatsSettings;
  readonly kubernetes: NatsKubernetesSettings;
  readonly appUsers: readonly NatsAppUserSpec[];
  /** The Secret holding the quoted bcrypt hashes (and the route password in cluster mode). */
  readonly credentialsSecretName: string;
  /** kubernetes.storageClass of the platform, used when kubernetes.nats.storageClass is absent. */
  readonly platformStorageClass?: string;
  readonly imagePullSecrets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Added to the pod template: a checksum of the credentials, so changed passwords roll the pods. */
  readonly podAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
}

/** `repository` and `tag` for the chart, which prints `repository:tag` (the tag may carry `@sha256:…`). */
export function chartImage(reference: string): { repository: string; tag: string } {
  const digestAt = reference.indexOf("@");
  const named = digestAt >= 0 ? reference.slice(0, digestAt) : reference;
  const digest = digestAt >= 0 ? reference.slice(digestAt) : "";
  const colon = named.lastIndexOf(":");
  if (colon <= named.lastIndexOf("/")) throw new Error(`image "${reference}" needs a tag for the nats chart`);
  return { repository: named.slice(0, colon), tag: `${named.slice(colon + 1)}${digest}` };
}

function secretEnv(secretName: string, key: string): ChartValue {
  return { valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/** Every user the server knows (application users and the admin), with the env variable of its hash. */
export function chartUsers(appUsers: readonly NatsAppUserSpec[]): { name: string; env: string; key: string }[] {
  const users = [...appUsers.map((u) => u.name), ADMIN_USER].map((name) => ({
    name,
    env: bcryptEnvName(name),
    key: bcryptSecretKey(name),
  }));
  const envs = users.map((u) => u.env);
  const clash = envs.find((e, i) => envs.indexOf(e) !== i);
  if (clash) throw new Error(`two NATS users map to the same environment variable ${clash}`);
  return users;
}

export function natsChartValues(input: NatsChartValuesInput): Record<string, unknown> {
  const { settings, kubernetes } = input;
  const release = kubernetes.releaseName;
  const headless = `${release}-headless`;
  const clustered = kubernetes.replicas > 1;
  const users = chartUsers(input.appUsers);
  const envOf = new Map(users.map((u) => [u.name, u.env]));

  const auth = natsAuthConfig({
    appAccount: settings.account,
    appUsers: input.appUsers.map((u) => ({
      name: u.name,
      password: confEnv(envOf.get(u.name) as string),
      permissions: u.permissions,
    })),
    systemUsers: [{ name: ADMIN_USER, password: confEnv(envOf.get(ADMIN_USER) as string) }],
  });

  const env: Record<string, ChartValue> = Object.fromEntries(
    users.map((u) => [u.env, secretEnv(input.credentialsSecretName, u.key)]),
  );
  const cluster: Record<string, unknown> = { enabled: clustered };
  if (clustered) {
    env[ROUTE_PASSWORD_ENV] = secretEnv(input.credentialsSecretName, ROUTE_PASSWORD_KEY);
    env[ROUTE_PASSWORD_BCRYPT_ENV] = secretEnv(input.credentialsSecretName, ROUTE_BCRYPT_KEY);
    const routes: ChartValue[] = [];
    for (let i = 0; i < kubernetes.replicas; i++) {
      // Kubernetes substitutes $(NATS_ROUTE_PASSWORD); the password is letters and digits, so no URL escaping.
      env[routeUrlEnv(i)] = `nats://${ROUTE_USER}:$(${ROUTE_PASSWORD_ENV})@${release}-${i}.${headless}:${CLUSTER_PORT}`;
      routes.push(toChartMerge(confEnv(routeUrlEnv(i))));
    }
    Object.assign(cluster, {
      replicas: kubernetes.replicas,
      port: CLUSTER_PORT,
      // Replaces the chart's unauthenticated route list: a pod that cannot authenticate cannot join the cluster.
      merge: {
        authorization: { user: ROUTE_USER, password: toChartMerge(confEnv(ROUTE_PASSWORD_BCRYPT_ENV)) },
        routes,
      },
    });
  }

  const storageClassName = kubernetes.storageClass ?? input.platformStorageClass;
  return {
    fullnameOverride: release,
    statefulSet: { name: release },
    headlessService: { name: headless },
    service: { name: release },
    global: {
      labels: { ...input.labels },
      image: { pullSecretNames: [...input.imagePullSecrets] },
    },
    config: {
      cluster,
      jetstream: {
        enabled: true,
        fileStore: {
          enabled: true,
          dir: STORE_DIR,
          maxSize: settings.jetstream.maxFileStore,
          pvc: {
            enabled: true,
            size: kubernetes.storageSize,
            ...(storageClassName !== undefined ? { storageClassName } : {}),
          },
        },
        memoryStore: { enabled: true, maxSize: settings.jetstream.maxMemoryStore },
      },
      nats: {
        port: NATS_CLIENT_PORT,
        ...(kubernetes.tlsSecretName !== undefined ? { tls: chartClientTls(kubernetes.tlsSecretName) } : {}),
      },
      // The chart's startup, readiness and liveness probes call /healthz on this port; the Service does not expose it.
      monitor: { enabled: true, port: settings.monitorPort },
      merge: toChartMerge(auth),
    },
    container: {
      image: chartImage(kubernetes.image),
      env,
      merge: { securityContext: { ...NATS_CONTAINER_SECURITY_CONTEXT } },
    },
    // One image fewer to mirror: config changes roll the pods (checksum annotations) instead of hot reloading.
    // Its securityContext still passes `restricted`, should the reloader ever be turned on.
    reloader: { enabled: false, merge: { securityContext: { ...NATS_CONTAINER_SECURITY_CONTEXT } } },
    // nats-box is an interactive toolbox Deployment (a shell and the nats CLI) that would hold client contexts:
    // nothing StellaOps needs, a credential holder and a further image to mirror. Off.
    natsBox: { enabled: false },
    promExporter: { enabled: false },
    podTemplate: {
      configChecksumAnnotation: true,
      merge: {
        metadata: { annotations: { ...input.podAnnotations } },
        spec: { securityContext: { ...NATS_POD_SECURITY_CONTEXT } },
      },
    },
  };
}
