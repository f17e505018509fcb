import { CLUSTER_PORT } from "../components/nats/chartValues";
import { NATS_CLIENT_PORT } from "../components/nats/server";
import { RUSTFS_K8S_NAME } from "../components/objectStore/kubernetes";
import { configKey, type ConfigProblem } from "./configErrors";
import type { StackConfig } from "./config";

/**
 * Two things claiming one place: a host port on the Docker host, a port inside the NATS server, a Service name in
 * the Kubernetes namespace. The platform refuses the second claim half-way through `pulumi up`; here each clash is
 * reported at the later key, naming the earlier one.
 */
export function clashProblems(cfg: StackConfig): ConfigProblem[] {
  return [...dockerHostPortClashes(cfg), ...natsMonitorPortClashes(cfg), ...kubernetesServiceNameClashes(cfg)];
}

/** A value something needs to itself: at a config key, or fixed by the program (no key; listed first). */
interface Claim {
  readonly key?: (string | number)[];
  readonly label?: string;
  readonly value: string | number;
}

const labelOf = (claim: Claim): string => claim.label ?? configKey(claim.key ?? []);

function clashesOf(claims: readonly Claim[], what: string): ConfigProblem[] {
  const first = new Map<string | number, Claim>();
  const problems: ConfigProblem[] = [];
  for (const claim of claims) {
    const earlier = first.get(claim.value);
    if (earlier === undefined) first.set(claim.value, claim);
    else if (claim.key !== undefined && labelOf(earlier) !== labelOf(claim)) {
      problems.push({
        key: configKey(claim.key),
        message: `${what} ${claim.value} is already taken by ${labelOf(earlier)}; give each its own`,
      });
    }
  }
  return problems;
}

/** Every port the docker profile publishes on docker.bindAddress. */
function dockerHostPortClashes(cfg: StackConfig): ConfigProblem[] {
  if (cfg.profile !== "docker") return [];
  const d = cfg.docker;
  const claims: Claim[] = [
    { key: ["docker", "postgres", "hostPort"], value: d.postgres.hostPort },
    { key: ["docker", "valkey", "hostPort"], value: d.valkey.hostPort },
    { key: ["docker", "objectStore", "hostPort"], value: d.objectStore.hostPort },
  ];
  if (d.objectStore.consoleEnabled) {
    claims.push({ key: ["docker", "objectStore", "consoleHostPort"], value: d.objectStore.consoleHostPort });
  }
  if (cfg.nats.enabled) {
    claims.push({ key: ["docker", "nats", "hostPort"], value: d.nats.hostPort });
    if (d.nats.monitorHostPort !== undefined) {
      claims.push({ key: ["docker", "nats", "monitorHostPort"], value: d.nats.monitorHostPort });
    }
  }
  return clashesOf(claims, "host port");
}

/** nats-server listens for clients and cluster routes on fixed ports; the monitoring endpoint needs another. */
function natsMonitorPortClashes(cfg: StackConfig): ConfigProblem[] {
  if (!cfg.nats.enabled || cfg.profile === "external") return [];
  return clashesOf(
    [
      { label: "nats-server's client port", value: NATS_CLIENT_PORT },
      { label: "nats-server's cluster port", value: CLUSTER_PORT },
      { key: ["nats", "monitorPort"], value: cfg.nats.monitorPort },
    ],
    "port",
  );
}

/** The Services each server puts in the namespace (the charts' fullnameOverride is the release name). */
function kubernetesServiceNameClashes(cfg: StackConfig): ConfigProblem[] {
  if (cfg.profile !== "kubernetes") return [];
  const k = cfg.kubernetes;
  const cluster = ["kubernetes", "postgres", "clusterName"];
  const valkey = ["kubernetes", "valkey", "releaseName"];
  const claims: Claim[] = [
    { label: "the RustFS server", value: RUSTFS_K8S_NAME },
    ...["rw", "ro", "r"].map((suffix) => ({ key: cluster, value: `${k.postgres.clusterName}-${suffix}` })),
    { key: valkey, value: k.valkey.releaseName },
    { key: valkey, value: `${k.valkey.releaseName}-headless` },
  ];
  if (cfg.nats.enabled) {
    const nats = ["kubernetes", "nats", "releaseName"];
    claims.push({ key: nats, value: k.nats.releaseName }, { key: nats, value: `${k.nats.releaseName}-headless` });
  }
  return clashesOf(claims, "Service name");
}
