import { backendProblems, type ObjectStoreBackend } from "../components/objectStore/capabilities";
import { awsEncryptionProblems } from "../components/objectStore/layout";
import { natsStorageProblems } from "../components/nats/sizes";
import { postgresLayoutProblems } from "../components/postgres/layout";
import {
  adminAclUser,
  appAclUsers,
  assertDistinctUsers,
  DISABLED_DEFAULT_USER,
  HEALTHCHECK_ACL_USER,
  REPLICATION_ACL_USER,
  type AclUser,
} from "../components/valkey/acl";
import { valkeyChartValues } from "../components/valkey/chartValues";
import { stackExchangeConnectionString } from "../components/valkey/connections";
import { parameterGroupFamily, validateReplication } from "../components/valkey/elasticache";
import { configKey, type ConfigProblem } from "./configErrors";
import type { StackConfig } from "./config";

/**
 * What the components would refuse when they are constructed, asked of the same pure functions they call, so the
 * config loader reports it with every other problem instead of `pulumi up` failing on the first one.
 */
export function componentProblems(cfg: StackConfig): ConfigProblem[] {
  return [
    ...postgresProblems(cfg),
    ...objectStoreProblems(cfg),
    ...valkeyProblems(cfg),
    ...jetstreamVolumeProblems(cfg),
  ];
}

/** The S3 backend each profile provisions buckets on (the servers' `backend`, or Amazon S3 itself). */
export function objectStoreBackendOf(cfg: StackConfig): ObjectStoreBackend {
  switch (cfg.profile) {
    case "aws":
      return "aws";
    case "external":
      return cfg.external.objectStore.flavor;
    default:
      return "rustfs";
  }
}

/** Schemas, roles, grants and extensions the PostgreSQL layout cannot honour (components/postgres/layout.ts). */
export function postgresProblems(cfg: StackConfig): ConfigProblem[] {
  return postgresLayoutProblems(cfg.postgres, cfg.services.optional).map((p) => ({
    key: configKey(p.path),
    message: p.message,
  }));
}

/** Bucket features the backend lacks, and S3 encryption settings it cannot use (components/objectStore). */
export function objectStoreProblems(cfg: StackConfig): ConfigProblem[] {
  const problems = [
    ...backendProblems(cfg.objectStore, objectStoreBackendOf(cfg)),
    ...(cfg.profile === "aws" ? awsEncryptionProblems(cfg.aws.objectStore, cfg.aws.kmsKeyArn) : []),
  ];
  return problems.map((p) => ({ key: configKey(p.path), message: p.message }));
}

/**
 * A check that throws (the Valkey area's validators do) as a problem: its key is the config path the message
 * starts with (`aws.valkey.multiAz needs …`), else `fallback`. Only the first problem of each check is seen.
 */
function thrownProblem(fallback: readonly string[], check: () => unknown): ConfigProblem[] {
  try {
    check();
    return [];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const leadingKey = /^((?:docker|kubernetes|aws|external|valkey)(?:\.[A-Za-z]+)+)[ :]\s*/.exec(message);
    return leadingKey
      ? [{ key: configKey(leadingKey[1].split(".")), message: message.slice(leadingKey[0].length) }]
      : [{ key: configKey(fallback), message }];
  }
}

/** The Valkey users the platform's server would hold: its fixed users (as its component adds them) and the app users. */
function valkeyServerUsers(cfg: StackConfig, appUsers: readonly AclUser[]): AclUser[] {
  const admin = adminAclUser(cfg.valkey.adminUser);
  switch (cfg.profile) {
    case "docker":
      return [admin, HEALTHCHECK_ACL_USER, ...appUsers];
    case "kubernetes":
      return [
        DISABLED_DEFAULT_USER,
        admin,
        ...(cfg.kubernetes.valkey.replicas > 0 ? [REPLICATION_ACL_USER] : []),
        ...appUsers,
      ];
    case "aws":
      return [DISABLED_DEFAULT_USER, admin, ...appUsers];
    case "external":
      return [...appUsers];
  }
}

/** ACL users, the chart's image and replicas, ElastiCache versions and replication (components/valkey). */
export function valkeyProblems(cfg: StackConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  let appUsers: AclUser[] = [];
  problems.push(
    ...thrownProblem(["valkey", "aclMode"], () => {
      appUsers = appAclUsers(cfg.valkey, cfg.services.optional);
    }),
  );
  if (problems.length === 0) {
    problems.push(...thrownProblem(["valkey", "appUser"], () => assertDistinctUsers(valkeyServerUsers(cfg, appUsers))));
  }
  if (cfg.profile === "kubernetes") {
    const kubernetes = cfg.kubernetes.valkey;
    problems.push(
      ...thrownProblem(["kubernetes", "valkey"], () =>
        valkeyChartValues({
          settings: cfg.valkey,
          kubernetes,
          users: appUsers,
          usersSecretName: `${kubernetes.releaseName}-users`,
          replicationUser: kubernetes.replicas > 0 ? REPLICATION_ACL_USER.name : undefined,
          imagePullSecrets: [],
          labels: {},
          keepVolume: true,
        }),
      ),
    );
  }
  if (cfg.profile === "aws") {
    problems.push(
      ...thrownProblem(["aws", "valkey"], () => validateReplication(cfg.aws.valkey)),
      ...thrownProblem(["aws", "valkey", "engineVersion"], () => parameterGroupFamily(cfg.aws.valkey.engineVersion)),
    );
  }
  if (cfg.profile === "external") {
    const { host, port, tls } = cfg.external.valkey;
    // The services' StackExchange.Redis connection strings carry the host.
    problems.push(
      ...thrownProblem(["external", "valkey", "host"], () =>
        stackExchangeConnectionString({ host, port, user: cfg.valkey.appUser, password: "x", tls }),
      ),
    );
  }
  return problems;
}

/** JetStream's file store must fit on its Kubernetes volume (components/nats/sizes.ts). */
export function jetstreamVolumeProblems(cfg: StackConfig): ConfigProblem[] {
  if (!cfg.nats.enabled || cfg.profile !== "kubernetes") return [];
  return natsStorageProblems(cfg.nats.jetstream.maxFileStore, cfg.kubernetes.nats.storageSize).map((p) => ({
    key: configKey(p.path),
    message: p.message,
  }));
}
