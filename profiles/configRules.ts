import { kmsKeyRegion } from "../components/kmsKey";
import { DIGEST_PATTERN } from "../components/settingsCommon";
import { clashProblems } from "./clashRules";
import { componentProblems } from "./componentRules";
import { configKey, type ConfigProblem } from "./configErrors";
import { rotationProblems } from "./rotationIds";
import type { StackConfig } from "./config";

/**
 * Rules that span several keys, checked after the schema has parsed. Each returns problems naming the key.
 */
export function stackRuleProblems(cfg: StackConfig, raw: Readonly<Record<string, unknown>>): ConfigProblem[] {
  return [
    ...natsProblems(cfg, raw),
    ...airgapProblems(cfg),
    ...apiServerEgressProblems(cfg, raw),
    ...bucketAdminProblems(cfg),
    ...dockerAdminAddressProblems(cfg),
    ...clashProblems(cfg),
    ...kmsKeyRegionProblems(cfg),
    ...componentProblems(cfg),
    ...rotationProblems(cfg),
  ];
}

/**
 * With a remote docker.host the published ports are on that host, so the layout and bucket steps, which connect
 * to docker.adminAddress, would reach this machine's 127.0.0.1 and fail after the containers exist.
 */
export function dockerAdminAddressProblems(cfg: StackConfig): ConfigProblem[] {
  if (cfg.profile !== "docker" || cfg.docker.host.startsWith("unix://") || cfg.docker.adminAddress !== undefined) {
    return [];
  }
  return [
    {
      key: configKey(["docker", "adminAddress"]),
      message:
        "required when docker.host is remote (ssh:// or tcp://): the address where this machine reaches the ports published on docker.bindAddress there, e.g. the host's name with bindAddress set to an address this machine can reach, or 127.0.0.1 with an ssh tunnel forwarding each hostPort (README: Remote Docker host)",
    },
  ];
}

const PLATFORM_KEY = { docker: "docker", kubernetes: "kubernetes", aws: "aws", external: "external" } as const;

function rawObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Settings given under `parent` (the raw config block) that do nothing because their switch is off. */
function givenWithoutSwitch(
  block: unknown,
  parent: readonly string[],
  keys: readonly string[],
  message: string,
): ConfigProblem[] {
  const given = rawObject(block);
  return keys.filter((k) => given[k] !== undefined).map((k) => ({ key: configKey([...parent, k]), message }));
}

/** NATS is opt-in: settings without `enabled: true` are a mistake, not something to ignore silently. */
export function natsProblems(cfg: StackConfig, raw: Readonly<Record<string, unknown>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const platformKey = PLATFORM_KEY[cfg.profile];
  if (!cfg.nats.enabled) {
    const message = "NATS setting given while nats.enabled is not true; set nats.enabled: true or remove it";
    const natsKeys = Object.keys(rawObject(raw["nats"])).filter((k) => k !== "enabled");
    return [
      ...givenWithoutSwitch(raw["nats"], ["nats"], natsKeys, message),
      ...givenWithoutSwitch(raw[platformKey], [platformKey], ["nats"], message),
    ];
  }
  if (cfg.profile === "aws") {
    problems.push({
      key: configKey(["nats", "enabled"]),
      message:
        "NATS JetStream is not available on the aws profile (AWS has no managed NATS); leave it off (StellaOps uses Valkey streams), or run it on the kubernetes profile or as an existing server (external profile)",
    });
  }
  if (cfg.profile === "external" && cfg.external.nats === undefined) {
    problems.push({
      key: configKey(["external", "nats"]),
      message:
        "required when nats.enabled is true on the external profile: the url and credentials of the existing NATS server",
    });
  }
  return problems;
}

/**
 * Under kubernetes.denyEgress, the CloudNativePG instance pods (which the kubernetes profile always runs in the
 * namespace) must still reach the Kubernetes API server, and only its addresses can say where that is.
 */
export function apiServerEgressProblems(cfg: StackConfig, raw: Readonly<Record<string, unknown>>): ConfigProblem[] {
  if (cfg.profile !== "kubernetes") return [];
  if (!cfg.kubernetes.denyEgress) {
    // Egress addresses do nothing without the deny policy; given anyway, they are a mistake to point out.
    return givenWithoutSwitch(
      raw["kubernetes"],
      ["kubernetes"],
      ["apiServer", "dns"],
      "only used with kubernetes.denyEgress: true; set denyEgress: true or remove it",
    );
  }
  if (cfg.kubernetes.apiServer.cidrs.length > 0) return [];
  return [
    {
      key: configKey(["kubernetes", "apiServer", "cidrs"]),
      message:
        "required when kubernetes.denyEgress is true: the Kubernetes API server's addresses as CIDRs (the `kubernetes` Service IP and its endpoint IPs, e.g. 10.96.0.1/32), because the CloudNativePG instance pods must reach the API server and a NetworkPolicy can only name it by address",
    },
  ];
}

/**
 * On Kubernetes this program creates the RustFS buckets over S3, so it must reach RustFS: the Service's DNS name
 * resolves only inside the cluster, and a stack run from a workstation would fail half-way through its first `up`.
 */
export function bucketAdminProblems(cfg: StackConfig): ConfigProblem[] {
  if (cfg.profile !== "kubernetes" || cfg.kubernetes.runsInCluster) return [];
  if (cfg.kubernetes.objectStore.adminEndpoint !== undefined) return [];
  return [
    {
      key: configKey(["kubernetes", "objectStore", "adminEndpoint"]),
      message:
        "required unless kubernetes.runsInCluster is true: the http(s) URL where this program reaches the RustFS S3 API to create the buckets (an Ingress or load-balancer address for the rustfs Service); its in-cluster name resolves only inside the cluster",
    },
  ];
}

/**
 * KMS keys are regional: RDS, ElastiCache and S3 use a key in their own region only, so every key setting must name
 * a key in aws.region (the schema has already refused anything but a key ARN).
 */
export function kmsKeyRegionProblems(cfg: StackConfig): ConfigProblem[] {
  if (cfg.profile !== "aws") return [];
  const keys: [string[], string | undefined][] = [
    [["aws", "kmsKeyArn"], cfg.aws.kmsKeyArn],
    [["aws", "objectStore", "kmsKeyArn"], cfg.aws.objectStore.kmsKeyArn],
  ];
  return keys
    .filter(([, arn]) => arn !== undefined && kmsKeyRegion(arn) !== cfg.aws.region)
    .map(([path, arn]) => ({
      key: configKey(path),
      message: `must be a key in aws.region (${cfg.aws.region}), not ${String(kmsKeyRegion(arn as string))}: KMS keys are regional; use the key (or the multi-Region replica) in ${cfg.aws.region}`,
    }));
}

/** Image fields are recognised by name across every service block: `image`, `imageName`, or `…Image`. */
function isImageField(name: string): boolean {
  return name === "image" || name === "imageName" || /[a-z]Image$/.test(name);
}

interface Found {
  path: string[];
  value: unknown;
}

function collect(value: unknown, path: string[], match: (key: string, v: unknown) => boolean): Found[] {
  if (value === null || typeof value !== "object") return [];
  const found: Found[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (match(k, v)) found.push({ path: [...path, k], value: v });
    else found.push(...collect(v, [...path, k], match));
  }
  return found;
}

function isChartSource(v: unknown): v is { repository?: string; path?: string; chart: string } {
  const o = rawObject(v);
  return typeof o["chart"] === "string" && typeof o["version"] === "string";
}

/**
 * Sealed sites have no internet: every image from the mirror registry pinned by digest, every chart from the
 * mirror (oci://) or a vendored file.
 */
export function airgapProblems(cfg: StackConfig): ConfigProblem[] {
  if (!cfg.airgap.sealed) return [];
  const problems: ConfigProblem[] = [];
  if (cfg.profile === "aws") {
    return [
      {
        key: configKey(["airgap", "sealed"]),
        message: "a sealed (air-gapped) stack cannot use the aws profile; use docker, kubernetes or external",
      },
    ];
  }
  const mirror = cfg.airgap.mirrorRegistry;
  if (!mirror) {
    return [
      {
        key: configKey(["airgap", "mirrorRegistry"]),
        message: "required when airgap.sealed is true: the local registry every image comes from",
      },
    ];
  }
  if (cfg.profile === "external") return problems;
  const platformKey = cfg.profile;
  const block = rawObject((cfg as Record<string, unknown>)[platformKey]);
  const natsOff = !cfg.nats.enabled;
  const skip = (path: string[]) => natsOff && path[1] === "nats";

  for (const { path, value } of collect(block, [platformKey], (k, v) => isImageField(k) && typeof v === "string")) {
    if (skip(path)) continue;
    const image = value as string;
    if (!image.startsWith(`${mirror}/`)) {
      problems.push({
        key: configKey(path),
        message: `must come from the mirror registry: ${mirror}/<repository>@sha256:<digest>`,
      });
    } else if (!DIGEST_PATTERN.test(image)) {
      problems.push({
        key: configKey(path),
        message: "must be pinned by digest (…@sha256:<64 hex digits>) on a sealed stack; tags can move",
      });
    }
  }
  const mirrorHost = mirror.split("/")[0];
  for (const { path, value } of collect(block, [platformKey], (_k, v) => isChartSource(v))) {
    if (skip(path)) continue;
    // A chart the stack does not install (e.g. kubernetes.postgres.operator with install: false) is never pulled.
    const owner = path.slice(1, -1).reduce<unknown>((o, k) => rawObject(o)[k], block);
    if (rawObject(owner)["install"] === false) continue;
    const chart = value as { repository?: string; path?: string };
    if (chart.path !== undefined) continue;
    if (!chart.repository?.startsWith(`oci://${mirrorHost}/`) && chart.repository !== `oci://${mirrorHost}`) {
      problems.push({
        key: configKey([...path, "repository"]),
        message: `must be the mirror (oci://${mirrorHost}/…) or use path: with a vendored chart archive on a sealed stack`,
      });
    }
  }
  return problems;
}
