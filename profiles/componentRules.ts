import { backendProblems, type ObjectStoreBackend } from "../components/objectStore/capabilities";
import { natsStorageProblems } from "../components/nats/sizes";
import { layoutDatabaseNames, layoutRoleNames, postgresLayoutProblems } from "../components/postgres/model";
import {
  imageMajorProblems,
  majorUpgradeSwitchProblems,
  rdsMajorUpgradeProblems,
} from "../components/postgres/majorVersion";
import { CLOUDNATIVEPG_INITDB, DOCKER_SUPERUSER } from "../components/postgres/serverObjects";
import { valkeyConfigProblems, type ValkeyDeployment } from "../components/valkey/configProblems";
import { underKey, type SettingsProblem } from "../components/settingsProblem";
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

/** A component's problem as the loader reports it: under its full config key. */
function asConfigProblem(problem: SettingsProblem): ConfigProblem {
  return { key: configKey(problem.path), message: problem.message };
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

/**
 * Schemas, roles, grants and extensions the PostgreSQL layout cannot honour (components/postgres/model.ts), and
 * a server image or major-upgrade switch that disagrees with postgres.version (components/postgres/majorVersion.ts).
 */
export function postgresProblems(cfg: StackConfig): ConfigProblem[] {
  const { version } = cfg.postgres;
  return [
    ...underKey(["postgres"], postgresLayoutProblems(cfg.postgres, cfg.services.optional)),
    ...(cfg.profile === "docker"
      ? imageMajorProblems(["docker", "postgres", "image"], cfg.docker.postgres.image, version)
      : []),
    ...(cfg.profile === "kubernetes"
      ? imageMajorProblems(["kubernetes", "postgres", "imageName"], cfg.kubernetes.postgres.imageName, version)
      : []),
    ...majorUpgradeSwitchProblems(cfg.postgres.allowMajorUpgradeTo, version, cfg.profile),
    ...(cfg.profile === "aws"
      ? rdsMajorUpgradeProblems(cfg.postgres.allowMajorUpgradeTo, cfg.aws.postgres.applyImmediately)
      : []),
  ]
    .map(asConfigProblem)
    .concat(serverObjectClashes(cfg));
}

interface ServerObject {
  readonly name: string;
  /** The config key that names it, or what creates it when no key does. */
  readonly key?: (string | number)[];
  readonly what: string;
}

/**
 * Roles and databases the server has before the layout runs (components/postgres/serverObjects.ts): a layout role
 * of the same name would take over the admin (ALTER ROLE … NOCREATEROLE) or a platform role, a layout database of
 * the same name would be adopted with its owner.
 */
function serverObjectClashes(cfg: StackConfig): ConfigProblem[] {
  const { roles, databases } = postgresServerObjects(cfg);
  const problems: SettingsProblem[] = [];
  for (const [service, role] of layoutRoleNames(cfg.postgres, cfg.services.optional)) {
    const clash = roles.find((r) => r.name === role);
    if (!clash) continue;
    problems.push({
      path: clash.key ?? ["postgres", "roleNamePattern"],
      message: `"${role}" is both ${clash.what} and the layout's login role for ${service} (postgres.roleNamePattern); they must differ`,
    });
  }
  for (const database of layoutDatabaseNames(cfg.postgres)) {
    const clash = databases.find((d) => d.name === database);
    if (!clash) continue;
    const key = cfg.postgres.database === database ? ["postgres", "database"] : ["postgres", "serviceDatabases"];
    problems.push({
      path: key,
      message: `"${database}" is ${clash.what}; the layout needs a database of its own`,
    });
  }
  return problems.map(asConfigProblem);
}

/** What each platform's server already holds when the layout first connects. */
function postgresServerObjects(cfg: StackConfig): { roles: ServerObject[]; databases: ServerObject[] } {
  switch (cfg.profile) {
    case "docker":
      return { roles: [{ name: DOCKER_SUPERUSER, what: "the container's superuser (POSTGRES_USER)" }], databases: [] };
    case "kubernetes":
      return {
        roles: CLOUDNATIVEPG_INITDB.roles.map((name) => ({ name, what: `a role CloudNativePG creates (${name})` })),
        databases: CLOUDNATIVEPG_INITDB.databases.map((name) => ({
          name,
          what: `the database CloudNativePG's initdb creates and gives to its own "${name}" role`,
        })),
      };
    case "aws":
      return {
        roles: [
          {
            name: cfg.aws.postgres.masterUsername,
            key: ["aws", "postgres", "masterUsername"],
            what: "the RDS master user",
          },
        ],
        databases: [],
      };
    case "external":
      return {
        roles: [
          {
            name: cfg.external.postgres.adminUsername,
            key: ["external", "postgres", "adminUsername"],
            what: "the admin user",
          },
        ],
        databases: [],
      };
  }
}

/** Bucket features the backend lacks (components/objectStore). */
export function objectStoreProblems(cfg: StackConfig): ConfigProblem[] {
  return underKey(["objectStore"], backendProblems(cfg.objectStore, objectStoreBackendOf(cfg))).map(asConfigProblem);
}

/** The Valkey platform block the profile's components read. */
function valkeyDeploymentOf(cfg: StackConfig): ValkeyDeployment {
  switch (cfg.profile) {
    case "docker":
      return { platform: "docker" };
    case "kubernetes":
      return { platform: "kubernetes", kubernetes: cfg.kubernetes.valkey };
    case "aws":
      return { platform: "aws" };
    case "external":
      return { platform: "external", external: cfg.external.valkey };
  }
}

/** ACL users and their names, against the services, the platform server's own users and an operator-managed user (components/valkey). */
export function valkeyProblems(cfg: StackConfig): ConfigProblem[] {
  return valkeyConfigProblems(cfg.valkey, cfg.services.optional, valkeyDeploymentOf(cfg)).map(asConfigProblem);
}

/** JetStream's file store must fit on its Kubernetes volume (components/nats/sizes.ts). */
export function jetstreamVolumeProblems(cfg: StackConfig): ConfigProblem[] {
  if (!cfg.nats.enabled || cfg.profile !== "kubernetes") return [];
  return underKey(["nats"], natsStorageProblems(cfg.nats.jetstream.maxFileStore, cfg.kubernetes.nats.storageSize)).map(
    asConfigProblem,
  );
}
