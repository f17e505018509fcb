import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { OPTIONAL_SERVICE_IDS } from "../components/catalog";
import { sshOptions } from "../components/docker/sshOptions";
import { kmsKeyArn } from "../components/kmsKey";
import { dockerLogSettings } from "../components/docker/logs";
import {
  awsTags,
  distinctItems,
  kubernetesLabelName,
  kubernetesLabels,
  kubernetesObjectName,
  port,
} from "../components/settingsCommon";
import { ROTATION_TOKEN_PATTERN, ROTATION_TOKEN_RULE } from "../components/rotation";
import { isBlockRuleIssue } from "../components/settingsProblem";
import {
  natsDockerSettings,
  natsExternalSettings,
  natsKubernetesSettings,
  natsSettings,
} from "../components/nats/settings";
import {
  objectStoreAwsSettings,
  objectStoreDockerSettings,
  objectStoreExternalSettings,
  objectStoreKubernetesSettings,
  objectStoreSettings,
} from "../components/objectStore/settings";
import {
  postgresAwsSettings,
  postgresDockerSettings,
  postgresExternalSettings,
  postgresKubernetesSettings,
  postgresSettings,
} from "../components/postgres/settings";
import {
  valkeyAwsSettings,
  valkeyDockerSettings,
  valkeyExternalSettings,
  valkeyKubernetesSettings,
  valkeySettings,
} from "../components/valkey/settings";
import { CONFIG_NAMESPACE, ConfigError, problemsFromZod, type ConfigProblem } from "./configErrors";
import { configNamespaceProblems } from "./configNamespaces";
import { stackRuleProblems } from "./configRules";
import { allowedKeysAt } from "./schemaKeys";
import { plaintextSecretProblems, secretize, type Secretized } from "./secrets";
import { stackFileReaderAt, type StackFileConfig, type StackFileReader } from "./stackSettingsFile";

/**
 * The stack configuration: one zod schema, a discriminated union on `profile`.
 * loadConfig() is the only reader of pulumi.Config in the program.
 */

const ipv4 = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, { error: "must be an IPv4 address such as 127.0.0.1" });
const labels = z.record(z.string(), z.string()).default({});
const awsId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), {
    error: `must be an AWS id such as ${prefix}-0123456789abcdef0`,
  });

/**
 * The environment name goes into Docker, RDS, ElastiCache, IAM and Kubernetes names and label values; this is what
 * all of them accept (RDS and ElastiCache refuse a trailing '-' and '--', label values a trailing '-').
 */
const ENVIRONMENT_NAME = /^(?=.{1,24}$)[a-z](-?[a-z0-9])*$/;
const ENVIRONMENT_RULE =
  "lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, at most 24 characters";

const common = {
  /** Name used in resource names and tags; defaults to the stack name. */
  environment: z
    .string()
    .regex(ENVIRONMENT_NAME, { error: `must be ${ENVIRONMENT_RULE}` })
    .optional(),
  /** `protect` on data-bearing resources (volumes, servers, caches, buckets). */
  protect: z.boolean({ error: "must be true or false" }).default(true),
  /** Keep volumes and buckets in the platform when they leave the stack. */
  retainOnDelete: z.boolean({ error: "must be true or false" }).default(true),
  services: z
    .strictObject({
      /** Optional StellaOps services to provision (schemas, users, grants); core services are always present. */
      optional: z.array(z.enum(OPTIONAL_SERVICE_IDS as [string, ...string[]])).default([]),
    })
    .prefault({}),
  /** Sealed (air-gapped) operation: every image and chart from the mirror, pinned by digest. */
  airgap: z
    .strictObject({
      sealed: z.boolean({ error: "must be true or false" }).default(false),
      /** The local registry every image comes from, e.g. registry.local:5000/stellaops. */
      mirrorRegistry: z
        .string()
        .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, {
          error: "must be a registry host[:port][/path], e.g. registry.local:5000/stellaops",
        })
        .optional(),
    })
    .prefault({}),
  /**
   * Rotation tokens, `{ <credential id>: <token> }`: changing (adding, removing) a credential's token generates a
   * new value and brings it to the server and every consumer in one `pulumi up` (docs/rotation.md). The ids a
   * stack has are checked after parsing (profiles/rotationIds.ts).
   */
  rotation: z.record(z.string(), z.string().regex(ROTATION_TOKEN_PATTERN, { error: ROTATION_TOKEN_RULE })).default({}),
  postgres: postgresSettings.prefault({}),
  valkey: valkeySettings.prefault({}),
  objectStore: objectStoreSettings.prefault({}),
  nats: natsSettings.prefault({}),
};

/**
 * The Docker host. An ssh:// host becomes arguments of `ssh` on this machine, so its user and host may not start with
 * '-' (an ssh option) and nothing may hold whitespace or control characters.
 */
const DOCKER_HOST =
  /^(unix:\/\/\/[^\s\p{Cc}]+|ssh:\/\/([A-Za-z0-9_][A-Za-z0-9._-]*@)?([A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?|tcp:\/\/[^\s\p{Cc}/]+)$/u;

export const dockerPlatformSettings = z.strictObject({
  /** Docker host: the local socket or ssh://user@host. */
  host: z
    .string()
    .regex(DOCKER_HOST, { error: "must be unix:///path/to/docker.sock, ssh://user@host[:port] or tcp://host:port" })
    .default("unix:///var/run/docker.sock"),
  /** Extra ssh options for ssh:// hosts; none that runs a program on this machine (components/docker/sshOptions.ts). */
  sshOpts: sshOptions,
  /** Host address published ports bind to; 127.0.0.1 keeps everything off the network. */
  bindAddress: ipv4.default("127.0.0.1"),
  /**
   * Address this program uses to reach published ports (admin providers); defaults to the bind address. Required
   * for a remote docker.host: the bind address is then the remote host's, not this machine's.
   */
  adminAddress: z
    .union([z.ipv4(), z.ipv6(), z.hostname().regex(/^[A-Za-z0-9.-]{1,253}$/)], {
      error: "must be an IP address or a DNS host name such as docker-host.internal",
    })
    .optional(),
  labels,
  /** Log rotation of every container (components/docker/logs.ts). */
  logs: dockerLogSettings.prefault({}),
  postgres: postgresDockerSettings.prefault({}),
  valkey: valkeyDockerSettings.prefault({}),
  objectStore: objectStoreDockerSettings.prefault({}),
  nats: natsDockerSettings.prefault({}),
});

const CIDR_RULE = "must be a CIDR such as 10.96.0.1/32 or fd00::1/128 (a single address needs /32 or /128), not /0";
/** An IPv4 or IPv6 CIDR as NetworkPolicy's ipBlock takes it; /0 would open egress to every address. */
const cidr = z
  .union([z.cidrv4(), z.cidrv6()], { error: CIDR_RULE })
  .refine((c) => !c.endsWith("/0"), { error: CIDR_RULE });

/** `kubernetes.apiServer`: where the Kubernetes API server is, for egress policy (NetworkPolicy cannot name it). */
const kubernetesApiServerSettings = z.strictObject({
  /** The API server's addresses (the `kubernetes` Service IP and its endpoint IPs); required with denyEgress. */
  cidrs: z.array(cidr).default([]),
  /** TCP ports the API server listens on, before and after the Service's port mapping. */
  ports: z.array(port).min(1, { error: "must list at least one TCP port, e.g. [443, 6443]" }).default([443, 6443]),
});

/** `kubernetes.dns`: where cluster DNS answers, for the egress policy (kube-system on 53 unless the cluster differs). */
const kubernetesDnsSettings = z.strictObject({
  /** Namespace of the cluster DNS pods: kube-system; openshift-dns on OpenShift. */
  namespace: kubernetesLabelName(63).default("kube-system"),
  /** Ports the DNS pods listen on, after the Service's port mapping: 53; 5353 on OpenShift. */
  ports: z.array(port).min(1, { error: "must list at least one port, e.g. [53]" }).default([53]),
  /** DNS addresses outside any pod, e.g. NodeLocal DNSCache's link-local 169.254.20.10/32. */
  cidrs: z.array(cidr).default([]),
});

export const kubernetesPlatformSettings = z.strictObject({
  /** Path to a kubeconfig file (or its content); the ambient kubeconfig when absent. */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  namespace: kubernetesLabelName(63).default("stellaops"),
  storageClass: kubernetesObjectName.optional(),
  imagePullSecrets: z.array(kubernetesObjectName).default([]),
  /** Default-deny egress for the namespace (sealed sites), DNS and in-namespace traffic still allowed. */
  denyEgress: z.boolean().default(false),
  /** The API server's CIDRs and ports, which the CloudNativePG instance pods may reach under denyEgress. */
  apiServer: kubernetesApiServerSettings.prefault({}),
  /** Where cluster DNS answers; the only destination outside the namespace denyEgress allows to every pod. */
  dns: kubernetesDnsSettings.prefault({}),
  /**
   * This program runs in a pod of the target cluster (a deploy runner), so it reaches in-cluster Services by their
   * DNS names; otherwise the RustFS bucket admin needs `objectStore.adminEndpoint`.
   */
  runsInCluster: z.boolean({ error: "must be true or false" }).default(false),
  labels: kubernetesLabels,
  postgres: postgresKubernetesSettings.prefault({}),
  valkey: valkeyKubernetesSettings.prefault({}),
  objectStore: objectStoreKubernetesSettings.prefault({}),
  nats: natsKubernetesSettings.prefault({}),
});

/** Object schemas that must be present get a message naming what they need, not "expected object". */
const requiredBlock = (what: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? `required for this profile: ${what}` : `must be an object with ${what}`,
});

export const awsPlatformSettings = z
  .strictObject(
    {
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "must be an AWS region such as eu-west-1" }),
      vpcId: awsId("vpc"),
      /** Private subnets in at least two availability zones. */
      subnetIds: distinctItems(awsId("subnet")).min(2, {
        error: "must list at least two subnets (in different availability zones)",
      }),
      allowedSecurityGroupIds: distinctItems(awsId("sg")).default([]),
      allowedCidrs: distinctItems(z.cidrv4({ error: "must be an IPv4 CIDR such as 10.0.0.0/16" })).default([]),
      /** Opt-in for 0.0.0.0/0 in allowedCidrs: every address that can route into the VPC may connect. */
      allowAllAddresses: z.boolean({ error: "must be true or false" }).default(false),
      /** Customer-managed key for RDS, ElastiCache, Performance Insights and (unless overridden) S3; same region. */
      kmsKeyArn: kmsKeyArn.optional(),
      tags: awsTags,
      postgres: postgresAwsSettings.prefault({}),
      valkey: valkeyAwsSettings.prefault({}),
      objectStore: objectStoreAwsSettings.prefault({}),
    },
    requiredBlock("region, vpcId, subnetIds and allowedSecurityGroupIds or allowedCidrs"),
  )
  .refine((a) => a.allowedSecurityGroupIds.length + a.allowedCidrs.length > 0, {
    error: "set allowedSecurityGroupIds or allowedCidrs: otherwise nothing could reach the data services",
    path: ["allowedSecurityGroupIds"],
  })
  .superRefine((a, ctx) => {
    a.allowedCidrs.forEach((cidr, i) => {
      if (cidr.endsWith("/0") && !a.allowAllAddresses) {
        ctx.addIssue({
          code: "custom",
          message: `${cidr} lets every address that routes into the VPC reach PostgreSQL and Valkey; list your networks, or set aws.allowAllAddresses: true to mean it`,
          path: ["allowedCidrs", i],
        });
      }
    });
  });

export const externalPlatformSettings = z.strictObject(
  {
    postgres: postgresExternalSettings,
    valkey: valkeyExternalSettings,
    objectStore: objectStoreExternalSettings,
    nats: natsExternalSettings.optional(),
  },
  requiredBlock("postgres, valkey and objectStore connection settings of the existing servers"),
);

export const stackConfigSchema = z.discriminatedUnion("profile", [
  z.strictObject({ profile: z.literal("docker"), docker: dockerPlatformSettings.prefault({}), ...common }),
  z.strictObject({
    profile: z.literal("kubernetes"),
    kubernetes: kubernetesPlatformSettings.prefault({}),
    ...common,
  }),
  z.strictObject({ profile: z.literal("aws"), aws: awsPlatformSettings, ...common }),
  z.strictObject({ profile: z.literal("external"), external: externalPlatformSettings, ...common }),
]);

const PROFILES = stackConfigSchema.options.map((o) => o.shape.profile.value);

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type Profile = StackConfig["profile"];

/** The validated configuration, with every secret field as a secret Output. */
export type InfraConfig = Secretized<StackConfig> & {
  /** The stack name (Pulumi's), and the environment name used in resource names. */
  readonly stack: string;
  readonly environmentName: string;
};

/** Turns Pulumi's raw config map (`stellaops-infra:<key>` → string) into the object the schema reads. */
export function rawStackObject(raw: Readonly<Record<string, string>>): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(raw)) {
    if (!fullKey.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
    obj[fullKey.slice(CONFIG_NAMESPACE.length + 1)] = parseConfigValue(value);
  }
  return obj;
}

/** Structured values arrive as JSON; plain strings as themselves. */
function parseConfigValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Without `environment` the stack name goes into resource names, so it must be usable as one. */
function environmentProblems(environment: string | undefined, stack: string): ConfigProblem[] {
  if (environment !== undefined || ENVIRONMENT_NAME.test(stack)) return [];
  return [
    {
      key: `${CONFIG_NAMESPACE}:environment`,
      message: `required: the stack name "${stack}" is not a usable environment name (${ENVIRONMENT_RULE}); set environment to one`,
    },
  ];
}

/**
 * Validates raw config. Pure apart from wrapping secret fields with pulumi.secret; never throws anything but
 * ConfigError, whatever the input.
 */
export function parseStackConfig(
  raw: Readonly<Record<string, string>>,
  stack: string,
  isSecretKey: (fullKey: string) => boolean = () => false,
  stackFile?: StackFileConfig,
): InfraConfig {
  const obj = rawStackObject(raw);
  const problems: ConfigProblem[] = [
    ...configNamespaceProblems(raw),
    ...plaintextSecretProblems(obj, isSecretKey, stackFile),
  ];
  if (!(PROFILES as readonly unknown[]).includes(obj["profile"])) {
    problems.push({
      key: `${CONFIG_NAMESPACE}:profile`,
      message: `${obj["profile"] === undefined ? "required: one of" : "must be one of"} ${PROFILES.join(", ")}`,
    });
    // Without a profile the platform block cannot be checked, but the settings every profile shares can.
    const shared = z.object(common).safeParse(obj);
    if (!shared.success) problems.push(...problemsFromZod(shared.error, () => []));
    throw new ConfigError(stack, problems);
  }
  // The rules across blocks run inside the parse, after every block's own rules, and only on values that are
  // well-formed: when nothing failed but block rules (refinedBy), which leave the values they check intact. So a
  // broken block rule and the rules across blocks are reported together; a value that fails to parse or to pass its
  // own check still stops the rules that would read it.
  const acrossBlocks: ConfigProblem[] = [];
  const parsed = stackConfigSchema
    .superRefine((cfg, ctx) => {
      if (!ctx.issues.every(isBlockRuleIssue)) return;
      acrossBlocks.push(...environmentProblems(cfg.environment, stack), ...stackRuleProblems(cfg, obj));
    })
    .safeParse(obj);
  problems.push(...acrossBlocks);
  if (!parsed.success) {
    const profileSchema = stackConfigSchema.options.find((o) => o.shape.profile.value === obj["profile"]);
    problems.push(
      ...problemsFromZod(parsed.error, (path) => (profileSchema ? allowedKeysAt(profileSchema, path) : [])),
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(stack, problems);
  return {
    ...secretize(parsed.data),
    stack,
    environmentName: parsed.data.environment ?? stack,
  } as InfraConfig;
}

/**
 * Where loadConfig reads the stack's own settings file: the project's root directory as the CLI reports it (the
 * working directory for a CLI that reports none). The offline plan, which evaluates stack files outside the CLI,
 * points it at the directory it plans.
 */
let stackFileRoot: string | undefined;
export function setStackFileRoot(directory: string | undefined): void {
  stackFileRoot = directory;
}

function defaultStackFileRoot(): string {
  const reported = pulumi.runtime.getRootDirectory();
  // The SDK's placeholder when the CLI passed no root directory: the CLI runs the program in the project directory.
  return reported === "" || reported === "rootDirectory" ? process.cwd() : reported;
}

/** Reads this stack's configuration. The only place the program reads pulumi.Config and the stack's settings file. */
export function loadConfig(
  readStackFile: StackFileReader = stackFileReaderAt(stackFileRoot ?? defaultStackFileRoot()),
): InfraConfig {
  // Touch pulumi.Config so the namespace is registered the way the CLI expects.
  void new pulumi.Config(CONFIG_NAMESPACE);
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  const stack = pulumi.getStack();
  return parseStackConfig(
    pulumi.runtime.allConfig(),
    stack,
    (key) => runtime.isConfigSecret?.(key) ?? false,
    readStackFile(stack),
  );
}

export { ConfigError } from "./configErrors";
