import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { OPTIONAL_SERVICE_IDS } from "../../components/catalog";
import { labelKeyProblem, labelValueProblem } from "../../components/settingsCommon";
import { ConfigError, parseStackConfig } from "../../profiles/config";
import { planStack, type PlanDocument } from "../../plan/offlinePlan";
import { readStackConfig } from "../../plan/stackFiles";

/**
 * Property: every stack the config loader accepts plans to names the platforms accept (Kubernetes, Docker, RDS,
 * ElastiCache, S3, IAM; derived names included: environment + service + role), unique URNs, and no two objects
 * claiming one host port, Kubernetes object or release. Cheap where it can be: names derived from the environment and
 * Docker host ports are checked over hundreds of accepted values by substituting them into one plan made with
 * a token; whole generated stacks (users, modes, namespaces, releases, ports, NATS) are planned for a handful.
 * Platform rules: k8s.io/apimachinery validation (IsDNS1123Label/Subdomain, label keys and values); Helm's
 * 53-character release names; RDS DB instance and parameter group identifiers (letter first, letters, digits and
 * single hyphens, no trailing hyphen; 63/255); ElastiCache ids (same shape, 40); S3 bucket naming rules; IAM
 * policy names (128 of [\w+=,.@-]); Docker object names ([a-zA-Z0-9][a-zA-Z0-9_.-]*).
 */

const NS = "stellaops-infra";
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const awsIdentifier = (max: number) => new RegExp(`^(?=.{1,${max}}$)[a-z](-?[a-z0-9])*$`);
const S3_BUCKET = /^(?=.{3,63}$)[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Names that must be DNS labels (they become host names or label values), by Kubernetes kind. */
const LABEL_KINDS = new Set(["Namespace", "Service", "StatefulSet", "Job"]);

/** Which input of which resource type holds a platform name, and the rule it must follow. */
const AWS_NAMES: Readonly<Record<string, Readonly<Record<string, RegExp>>>> = {
  "aws:rds/instance:Instance": { identifier: awsIdentifier(63), finalSnapshotIdentifier: awsIdentifier(255) },
  "aws:rds/parameterGroup:ParameterGroup": { name: awsIdentifier(255) },
  "aws:rds/subnetGroup:SubnetGroup": { name: /^(?!default$)[a-z0-9 ._-]{1,255}$/ },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    replicationGroupId: awsIdentifier(40),
    finalSnapshotIdentifier: awsIdentifier(255),
  },
  "aws:elasticache/parameterGroup:ParameterGroup": { name: awsIdentifier(255) },
  "aws:elasticache/subnetGroup:SubnetGroup": { name: awsIdentifier(255) },
  "aws:elasticache/user:User": { userId: awsIdentifier(40) },
  "aws:elasticache/userGroup:UserGroup": { userGroupId: awsIdentifier(40) },
  "aws:s3/bucket:Bucket": { bucket: S3_BUCKET },
  "aws:iam/policy:Policy": { name: /^[\w+=,.@-]{1,128}$/ },
  "aws:ec2/securityGroup:SecurityGroup": { name: /^(?!sg-)[\w .:/()#,@[\]+=&;{}!$*-]{1,255}$/ },
};

/** Every `labels` map anywhere in a value. */
function labelMaps(value: unknown): Record<string, unknown>[] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === "labels" && v !== null && typeof v === "object" && !Array.isArray(v)
      ? [v as Record<string, unknown>, ...labelMaps(v)]
      : labelMaps(v),
  );
}

/** What a platform would refuse in this plan, one line each ([] when nothing). */
function platformProblems(plan: PlanDocument): string[] {
  const problems: string[] = [];
  const claimed = new Map<string, string>();
  const claim = (what: string, by: string) => {
    const other = claimed.get(what);
    if (other !== undefined) problems.push(`${what} claimed by ${other} and ${by}`);
    claimed.set(what, by);
  };
  for (const r of plan.resources) {
    const inputs = r.inputs as Record<string, unknown>;
    const name = (key: string) => (typeof inputs[key] === "string" ? (inputs[key] as string) : undefined);
    if (r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh")) {
      const metadata = (inputs["metadata"] ?? {}) as { name?: unknown; namespace?: unknown };
      const kind = r.type.split(":").pop() ?? "";
      if (typeof metadata.name === "string") {
        const rule = LABEL_KINDS.has(kind) ? DNS_LABEL : DNS_SUBDOMAIN;
        if (!rule.test(metadata.name)) problems.push(`${r.name}: ${kind} name "${metadata.name}"`);
        claim(`${r.type} ${String(metadata.namespace ?? "")}/${metadata.name}`, r.name);
      }
      if (typeof metadata.namespace === "string" && !DNS_LABEL.test(metadata.namespace)) {
        problems.push(`${r.name}: namespace "${metadata.namespace}"`);
      }
      for (const labels of labelMaps(inputs)) {
        for (const [key, value] of Object.entries(labels)) {
          const problem = labelKeyProblem(key) ?? (typeof value === "string" ? labelValueProblem(value) : undefined);
          if (problem) problems.push(`${r.name}: label ${key}=${String(value)}: ${problem}`);
        }
      }
    }
    if (r.type === "kubernetes:helm.sh/v3:Release") {
      const release = name("name") ?? "";
      if (!/^(?=.{1,53}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(release))
        problems.push(`${r.name}: release "${release}"`);
      claim(`release ${name("namespace") ?? ""}/${release}`, r.name);
    }
    for (const [key, rule] of Object.entries(AWS_NAMES[r.type] ?? {})) {
      const value = name(key);
      if (value !== undefined && !rule.test(value)) problems.push(`${r.name}: ${key} "${value}"`);
      if (value !== undefined) claim(`${r.type} ${key} ${value}`, r.name);
    }
    if (r.type.startsWith("docker:index/") && r.type !== "docker:index/remoteImage:RemoteImage") {
      const value = name("name");
      if (value !== undefined && !DOCKER_NAME.test(value)) problems.push(`${r.name}: Docker name "${value}"`);
      if (value !== undefined) claim(`${r.type} ${value}`, r.name);
      for (const p of (inputs["ports"] ?? []) as { external?: number; ip?: string }[]) {
        if (p.external !== undefined) claim(`host port ${p.ip ?? "0.0.0.0"}:${p.external}`, r.name);
      }
    }
  }
  return problems;
}

const word = (max: number) => fc.stringMatching(new RegExp(`^[a-z](-?[a-z0-9]){0,${max - 1}}$`));
/** Mostly valid names, and some of the shapes a platform refuses (trailing or double '-', too long, '_'). */
const name = (max: number) =>
  fc.oneof(
    { weight: 8, arbitrary: word(max) },
    { weight: 1, arbitrary: fc.stringMatching(new RegExp(`^[a-z0-9_-]{1,${max + 8}}$`)) },
  );
const environment = fc.oneof(
  name(12),
  // The longest names the rule admits, and one character more.
  fc.stringMatching(/^[a-z][a-z0-9]{22,24}$/),
  fc.tuple(word(12), fc.constantFrom("-", "--a", "_a", "A", ".a")).map(([w, tail]) => w + tail),
);
const aclUser = name(16);
const port = fc.oneof(fc.constantFrom(4222, 5432, 6379, 8080, 8222, 9001), fc.integer({ min: 1024, max: 65535 }));

/** Valkey and NATS settings every profile takes, and the optional services. */
const shared = fc.record({
  environment,
  optional: fc.subarray([...OPTIONAL_SERVICE_IDS]),
  valkey: fc.record({
    aclMode: fc.constantFrom("shared", "per-service"),
    appUser: aclUser,
    adminUser: aclUser,
  }),
  nats: fc.boolean(),
});

type Shared = typeof shared extends fc.Arbitrary<infer T> ? T : never;

const profileSpecific = fc.oneof(
  fc.record({
    stack: fc.constant("dev"),
    docker: fc.record({
      postgres: fc.record({ hostPort: port }),
      valkey: fc.record({ hostPort: port }),
      objectStore: fc.record({ hostPort: port }),
      nats: fc.record({ hostPort: port }),
    }),
  }),
  fc.record({
    stack: fc.constant("k8s"),
    kubernetes: fc.record({
      namespace: name(30),
      valkey: fc.record({ releaseName: name(20) }),
      nats: fc.record({ releaseName: name(16) }),
    }),
  }),
  fc.record({ stack: fc.constant("prod") }),
);

type Specific = typeof profileSpecific extends fc.Arbitrary<infer T> ? T : never;

/** Config overrides for a generated stack: the example stack file with the generated settings merged in. */
function overridesFor(s: Shared, p: Specific): Record<string, unknown> {
  const { config } = readStackConfig(p.stack);
  const current = (key: string) =>
    config[`${NS}:${key}`] ? (JSON.parse(config[`${NS}:${key}`]) as Record<string, unknown>) : {};
  const merged = (key: string, extra: Record<string, unknown>): Record<string, unknown> => {
    const base = current(key);
    for (const [k, v] of Object.entries(extra)) {
      base[k] = { ...((base[k] as Record<string, unknown> | undefined) ?? {}), ...(v as Record<string, unknown>) };
    }
    return base;
  };
  const platform = "docker" in p ? { docker: p.docker } : "kubernetes" in p ? { kubernetes: p.kubernetes } : {};
  const platformKey = Object.keys(platform)[0];
  const platformSettings = Object.values(platform)[0] as Record<string, unknown> | undefined;
  const { namespace, ...nested } = (platformSettings ?? {}) as Record<string, unknown>;
  const platformBlock = platformKey
    ? (() => {
        const block = merged(platformKey, s.nats ? nested : { ...nested, nats: undefined });
        if (!s.nats) delete block["nats"];
        if (namespace !== undefined) block["namespace"] = namespace;
        return block;
      })()
    : undefined;
  return {
    [`${NS}:environment`]: s.environment,
    [`${NS}:services`]: { optional: s.optional },
    [`${NS}:valkey`]: { ...current("valkey"), ...s.valkey },
    [`${NS}:nats`]: s.nats ? { ...current("nats"), enabled: true } : undefined,
    ...(platformKey ? { [`${NS}:${platformKey}`]: platformBlock } : {}),
  };
}

/** The config loader's verdict on the overridden stack: accepted, or the problems. */
function accepted(stack: string, overrides: Record<string, unknown>): boolean {
  const { config, secretKeys } = readStackConfig(stack);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[key];
    else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  try {
    parseStackConfig(config, stack, (k) => secretKeys.includes(k));
    return true;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return false;
  }
}

/**
 * An environment name no other text of a plan contains, so every name derived from it can be found; as long as the
 * rule allows (24), so the plan shortens the names that need it (ElastiCache ids) and every other environment only
 * makes the names shorter.
 */
const ENV_TOKEN = "zqenvzqzqenvzqzqenvzqzqe";

/** The plan as it would be with another environment name: every name derived from the environment follows it. */
function withEnvironment(plan: PlanDocument, environment: string): PlanDocument {
  return JSON.parse(JSON.stringify(plan).replaceAll(ENV_TOKEN, environment)) as PlanDocument;
}

/** Whether the config loader accepts this environment name for the example stack. */
function acceptsEnvironment(stack: string, environment: string): boolean {
  return accepted(stack, { [`${NS}:environment`]: environment });
}

/** Host ports no other number of a plan equals, one per published port of the Docker profile. */
const PORT_TOKENS = {
  postgres: { hostPort: 41001 },
  valkey: { hostPort: 41002 },
  objectStore: { hostPort: 41003, consoleHostPort: 41004 },
  nats: { hostPort: 41005, monitorHostPort: 41006 },
} as const;
type DockerPorts = { [S in keyof typeof PORT_TOKENS]: { [K in keyof (typeof PORT_TOKENS)[S]]: number } };

/** The Docker plan as it would be with other host ports (each token replaced where it is published). */
function withHostPorts(plan: PlanDocument, ports: DockerPorts): PlanDocument {
  const byToken = new Map<number, number>();
  for (const [server, keys] of Object.entries(PORT_TOKENS)) {
    for (const [key, token] of Object.entries(keys)) {
      byToken.set(token, (ports as Record<string, Record<string, number>>)[server][key]);
    }
  }
  const text = JSON.stringify(plan).replace(/"external":(\d+)/g, (m, p: string) =>
    byToken.has(Number(p)) ? `"external":${byToken.get(Number(p))}` : m,
  );
  return JSON.parse(text) as PlanDocument;
}

/** Overrides of the dev stack that publish every port (console, NATS and its monitor included) at these ports. */
function dockerPortOverrides(ports: DockerPorts): Record<string, unknown> {
  return {
    [`${NS}:nats`]: { enabled: true },
    [`${NS}:docker`]: {
      ...(JSON.parse(readStackConfig("dev").config[`${NS}:docker`]!) as Record<string, unknown>),
      postgres: ports.postgres,
      valkey: ports.valkey,
      objectStore: { ...ports.objectStore, consoleEnabled: true },
      nats: ports.nats,
    },
  };
}

describe("property: accepted stacks plan to what the platforms accept", () => {
  const plans: Record<string, PlanDocument> = {};
  beforeAll(async () => {
    for (const stack of ["dev", "k8s", "prod"]) {
      plans[stack] = await planStack(stack, { overrides: { [`${NS}:environment`]: ENV_TOKEN }, fakeOutputs: true });
    }
    plans["devPorts"] = await planStack("dev", { overrides: dockerPortOverrides(PORT_TOKENS), fakeOutputs: true });
  });

  it("no two published ports of an accepted Docker stack share a host port", () => {
    const common = fc.constantFrom(4222, 5432, 6379, 8080, 8222, 9001);
    const hostPort = fc.oneof(common, fc.integer({ min: 1, max: 65535 }));
    const ports = fc.record({
      postgres: fc.record({ hostPort }),
      valkey: fc.record({ hostPort }),
      objectStore: fc.record({ hostPort, consoleHostPort: hostPort }),
      nats: fc.record({ hostPort, monitorHostPort: hostPort }),
    });
    let acceptedCount = 0;
    fc.assert(
      fc.property(ports, (p) => {
        if (!accepted("dev", dockerPortOverrides(p))) return;
        acceptedCount++;
        expect(platformProblems(withHostPorts(plans["devPorts"]!, p))).toEqual([]);
      }),
      { numRuns: 300 },
    );
    expect(acceptedCount).toBeGreaterThan(30);
    // The tokens are where the ports are published: one clash is seen.
    const clash = { ...PORT_TOKENS, valkey: { hostPort: PORT_TOKENS.postgres.hostPort } };
    expect(platformProblems(withHostPorts(plans["devPorts"]!, clash))).toEqual([
      expect.stringMatching(/^host port 127\.0\.0\.1:41001 claimed by/),
    ]);
  });

  it("the example stacks have no platform problems, and the checker finds a bad name, label value and host port", () => {
    for (const plan of Object.values(plans)) expect(platformProblems(plan)).toEqual([]);
    const plan = plans["dev"]!;
    const broken: PlanDocument = {
      ...plan,
      resources: [
        ...plan.resources,
        { ...plan.resources.find((r) => r.type === "docker:index/container:Container")!, name: "copy", urn: "x" },
        {
          ...plan.resources[0],
          type: "kubernetes:core/v1:Service",
          name: "svc",
          urn: "y",
          inputs: { metadata: { name: "Bad_Name", labels: { team: "prod-" } } },
        },
      ],
    };
    const found = platformProblems(broken).join("\n");
    expect(found).toMatch(/host port 127\.0\.0\.1:\d+ claimed by/);
    expect(found).toMatch(/Service name "Bad_Name"/);
    expect(found).toMatch(/label team=prod-/);
    // A trailing '-' in the environment gives RDS and ElastiCache identifiers AWS refuses.
    expect(platformProblems(withEnvironment(plans["prod"]!, "prod-")).join("\n")).toMatch(
      /identifier "stellaops-prod--/,
    );
  });

  it("every name derived from an accepted environment name is one its platform accepts (many names, no plan each)", () => {
    let acceptedCount = 0;
    fc.assert(
      fc.property(fc.constantFrom("dev", "k8s", "prod"), environment, (stack, env) => {
        if (!acceptsEnvironment(stack, env)) return;
        acceptedCount++;
        expect(platformProblems(withEnvironment(plans[stack]!, env))).toEqual([]);
      }),
      { numRuns: 300 },
    );
    expect(acceptedCount).toBeGreaterThan(50);
  });

  it("holds for generated docker, kubernetes and aws stacks", async () => {
    let planned = 0;
    await fc.assert(
      fc.asyncProperty(shared, profileSpecific, async (s, p) => {
        const overrides = overridesFor(s, p);
        if (!accepted(p.stack, overrides)) return;
        planned++;
        // planStack also asserts that every URN is unique.
        const plan = await planStack(p.stack, { overrides, fakeOutputs: true });
        expect(platformProblems(plan)).toEqual([]);
      }),
      // A plan costs ~0.5-1 s: few runs, a fixed seed (STELLAOPS_PROPERTY_SEED explores others).
      { numRuns: 10, seed: Number(process.env["STELLAOPS_PROPERTY_SEED"] ?? 20261202) },
    );
    // A generator whose stacks are all refused would prove nothing.
    expect(planned).toBeGreaterThanOrEqual(4);
  });
});
