import { SERVICES, VALKEY_ONLY_CONSUMERS } from "../../components/catalog";
import { areaOf, indexByUrn, SERVER_AREAS } from "../graph";
import type { PlanDocument, PlanResource } from "../offlinePlan";

/**
 * What a stack runs, read from its offline plan: one server per area (PostgreSQL, Valkey, object storage, NATS)
 * with how it runs on this platform, and which StellaOps service uses which server (from the output contract).
 * Pure: the Markdown and Mermaid renderers draw this.
 */

export type ServerArea = (typeof SERVER_AREAS)[number];

export const AREA_TITLES: Readonly<Record<ServerArea, string>> = {
  postgres: "PostgreSQL",
  valkey: "Valkey",
  objectStore: "Object storage",
  nats: "NATS JetStream",
};

export interface ServerNode {
  area: ServerArea;
  title: string;
  /** How it runs here, e.g. "RDS db.t4g.medium, PostgreSQL 18" or "container stellaops-dev-valkey". */
  runsAs: string[];
  /** host:port (or URL) the services use, when the outputs show it in plain text. */
  endpoint?: string;
  /** Resources of this area in the plan. */
  resourceCount: number;
}

export interface ServiceUse {
  area: ServerArea;
  /** What the service uses there: its database user, ACL user, buckets, NATS user. */
  detail: string;
}

export interface Consumer {
  id: string;
  displayName: string;
  uses: ServiceUse[];
}

export interface Topology {
  profile: string;
  /** Where the servers live, e.g. "Docker network stellaops-dev". */
  platform: string;
  servers: ServerNode[];
  consumers: Consumer[];
}

type Inputs = Record<string, unknown>;

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "[secret]" ? value : undefined;
}

function record(value: unknown): Inputs {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Inputs) : {};
}

/** The custom S3 endpoint of an aws provider (JSON-encoded `endpoints` input), if it has one. */
function s3Endpoint(endpoints: unknown): string | undefined {
  try {
    const list = (typeof endpoints === "string" ? JSON.parse(endpoints) : endpoints) as unknown;
    return Array.isArray(list) ? list.map((e) => str(record(e)["s3"])).find(Boolean) : undefined;
  } catch {
    return undefined;
  }
}

/** Short descriptions of the resources that actually run a server. */
function runsAs(resources: PlanResource[], byUrn: Map<string, PlanResource>): string[] {
  const lines: string[] = [];
  for (const r of resources) {
    const i = r.inputs;
    switch (r.type) {
      case "aws:rds/instance:Instance":
        lines.push(
          `RDS ${str(i["instanceClass"]) ?? ""} ${str(i["engine"]) ?? "postgres"} ${String(i["engineVersion"] ?? "")}${i["multiAz"] === true ? ", Multi-AZ" : ""}`.replace(
            /\s+/g,
            " ",
          ),
        );
        break;
      case "aws:elasticache/replicationGroup:ReplicationGroup":
        lines.push(
          `ElastiCache ${str(i["engine"]) ?? ""} ${String(i["engineVersion"] ?? "")}, ${String(i["numCacheClusters"] ?? 1)} × ${str(i["nodeType"]) ?? "node"}`.replace(
            /\s+/g,
            " ",
          ),
        );
        break;
      case "kubernetes:postgresql.cnpg.io/v1:Cluster": {
        const spec = record(i["spec"]);
        lines.push(`CloudNativePG Cluster, ${String(spec["instances"] ?? 1)} instance(s)`);
        break;
      }
      case "kubernetes:helm.sh/v3:Release":
        lines.push(
          `Helm release ${str(i["name"]) ?? r.name} (${str(i["chart"]) ?? "chart"} ${str(i["version"]) ?? ""})`.trim(),
        );
        break;
      case "kubernetes:apps/v1:StatefulSet":
        lines.push(`StatefulSet ${str(record(i["metadata"])["name"]) ?? r.name}`);
        break;
      case "docker:index/container:Container": {
        const image = r.dependencies
          .map((d) => byUrn.get(d))
          .find((d) => d?.type === "docker:index/remoteImage:RemoteImage");
        const ref = image ? str(image.inputs["name"]) : str(i["image"]);
        lines.push(`container ${str(i["name"]) ?? r.name}${ref ? ` (${ref})` : ""}`);
        break;
      }
      default:
    }
  }
  const buckets = resources.filter((r) => r.type === "aws:s3/bucket:Bucket" || r.type === "aws:s3/bucketV2:BucketV2");
  if (buckets.length > 0) {
    const provider = buckets[0].provider
      ? byUrn.get(buckets[0].provider.slice(0, buckets[0].provider.lastIndexOf("::")))
      : undefined;
    const endpoint = s3Endpoint(provider?.inputs["endpoints"]);
    lines.push(`${endpoint ? `S3 API at ${endpoint}` : "Amazon S3"}, ${buckets.length} bucket(s)`);
  }
  return lines;
}

function endpointFrom(area: ServerArea, connection: Inputs): string | undefined {
  if (area === "objectStore") return str(connection["endpoint"]);
  if (area === "nats") return str(connection["url"]);
  const host = str(connection["host"]);
  return host ? `${host}${connection["port"] !== undefined ? `:${String(connection["port"])}` : ""}` : undefined;
}

function useDetail(area: ServerArea, connection: Inputs): string {
  switch (area) {
    case "postgres":
      return [str(connection["database"]), str(connection["username"])].filter(Boolean).join(" as ");
    case "valkey":
      return str(connection["user"]) ? `user ${str(connection["user"])}` : "";
    case "objectStore": {
      const names = Object.values(record(connection["buckets"])).filter((b): b is string => typeof b === "string");
      return names.join(", ");
    }
    case "nats":
      return str(connection["user"]) ? `user ${str(connection["user"])}` : "";
  }
}

const DISPLAY_NAMES = new Map<string, string>([
  ...SERVICES.map((s) => [s.id, s.displayName] as const),
  ...VALKEY_ONLY_CONSUMERS.map((s) => [s.id, s.displayName] as const),
]);

function platformOf(plan: PlanDocument, profile: string): string {
  const find = (type: string) => plan.resources.find((r) => r.type === type);
  switch (profile) {
    case "docker": {
      const network = str(find("docker:index/network:Network")?.inputs["name"]);
      const host = str(find("pulumi:providers:docker")?.inputs["host"]);
      return `Docker${host ? ` host ${host}` : ""}${network ? `, network ${network}` : ""}`;
    }
    case "kubernetes": {
      const namespace = str(record(find("kubernetes:core/v1:Namespace")?.inputs["metadata"])["name"]);
      return `Kubernetes${namespace ? ` namespace ${namespace}` : ""}`;
    }
    case "aws": {
      const region = str(find("pulumi:providers:aws")?.inputs["region"]);
      return `AWS${region ? ` ${region}` : ""}`;
    }
    case "external":
      return "existing servers";
    default:
      return profile;
  }
}

export function topologyOf(plan: PlanDocument): Topology {
  const byUrn = indexByUrn(plan);
  const outputs = record(plan.outputs);
  const profile = str(outputs["profile"]) ?? "unknown";
  const services = record(outputs["services"]);

  const consumers: Consumer[] = Object.entries(services)
    .map(([id, value]) => ({
      id,
      displayName: DISPLAY_NAMES.get(id) ?? id,
      uses: SERVER_AREAS.filter((area) => record(value)[area] !== undefined).map((area) => ({
        area,
        detail: useDetail(area, record(record(value)[area])),
      })),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));

  const servers: ServerNode[] = [];
  for (const area of SERVER_AREAS) {
    const resources = plan.resources.filter((r) => areaOf(r, byUrn) === area);
    const firstUse = Object.values(services)
      .map((s) => record(record(s)[area]))
      .find((c) => Object.keys(c).length > 0);
    if (resources.length === 0 && firstUse === undefined) continue;
    const described = runsAs(resources, byUrn);
    servers.push({
      area,
      title: AREA_TITLES[area],
      // Nothing in the plan runs it: the server exists already (external profile); only its layout is managed here.
      runsAs: described.length > 0 ? described : ["existing server"],
      ...(firstUse && endpointFrom(area, firstUse) ? { endpoint: endpointFrom(area, firstUse) } : {}),
      resourceCount: resources.length,
    });
  }
  return { profile, platform: platformOf(plan, profile), servers, consumers };
}
