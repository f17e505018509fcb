import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_CHANGES } from "../../components/rotationFacts";
import { rawStackObject, stackConfigSchema, type StackConfig } from "../../profiles/config";
import { rotatableCredentialIds } from "../../profiles/rotationIds";
import { FAKE_OUTPUTS } from "../../plan/engine/fakes";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { exampleStacks, readStackConfig } from "../../plan/stackFiles";
import { natsToggle, profileOf, sealedMirror } from "../harness/stackOverrides";

/**
 * Lifecycle tier, credential rotation: for every example stack (and, on the profiles that run NATS, the same stack
 * with NATS on), each credential id the stack has is rotated by setting its token, and the recorded registrations
 * (secrets revealed) are compared with the stack as it is. A rotation must change the credential's own value and
 * nothing else's, reach the server that checks it (restart trigger, reload or in-place update), reach every place
 * that carried the old value (service outputs, Kubernetes Secrets, uploaded files) with no trace of it left, and
 * replace nothing stateful.
 */

const NS = "stellaops-infra";
const TOKEN = "2026-12-01";
const RANDOM_TYPES = new Set(["random:index/randomPassword:RandomPassword", "random:index/randomString:RandomString"]);

/** Data-bearing resources (and those owning data: roles own schemas, releases own volumes, the Namespace all). */
const STATEFUL_TYPES = [
  "docker:index/volume:Volume",
  "postgresql:index/database:Database",
  "postgresql:index/schema:Schema",
  "postgresql:index/role:Role",
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:s3/bucket:Bucket",
  "kubernetes:postgresql.cnpg.io/v1:Cluster",
  "kubernetes:core/v1:PersistentVolumeClaim",
  "kubernetes:helm.sh/v3:Release",
  "kubernetes:core/v1:Namespace",
];

/** What a rotation may change in a stateful resource: only inputs its provider updates in place. */
function updatableInputs(type: string): readonly string[] {
  const fact = CREDENTIAL_CHANGES[type];
  return fact?.effect === "update" ? fact.inputs : [];
}

interface Variant {
  readonly label: string;
  readonly stack: string;
  readonly overrides: Record<string, unknown>;
  /** Only ids with this prefix are rotated (the NATS variants add NATS, the rest is covered already). */
  readonly idPrefix: string;
}

function variants(): Variant[] {
  return exampleStacks().flatMap((stack) => {
    const base = { label: stack, stack, overrides: {}, idPrefix: "" };
    // NATS is off in every example stack; turned on where this program runs the server (the sealed stack would
    // need a mirrored image and adds nothing the dev stack does not show).
    const profile = profileOf(stack);
    return (profile === "docker" || profile === "kubernetes") && sealedMirror(stack) === undefined
      ? [base, { label: `${stack}+nats`, stack, overrides: natsToggle(stack, true), idPrefix: "nats." }]
      : [base];
  });
}

function stackConfig(stack: string, overrides: Record<string, unknown>): StackConfig {
  const { config } = readStackConfig(stack);
  for (const [key, value] of Object.entries(overrides)) config[key] = JSON.stringify(value);
  return stackConfigSchema.parse(rawStackObject(config));
}

const plans = new Map<string, Promise<PlanDocument>>();
function revealedPlan(variant: Variant, rotation?: Record<string, string>): Promise<PlanDocument> {
  const key = `${variant.label}:${JSON.stringify(rotation ?? {})}`;
  if (!plans.has(key)) {
    const overrides = { ...variant.overrides, ...(rotation ? { [`${NS}:rotation`]: rotation } : {}) };
    // Fake outputs: the test follows the generated values themselves from their resource into every consumer.
    plans.set(key, planStack(variant.stack, { overrides, revealSecrets: true, fakeOutputs: true }));
  }
  return plans.get(key) as Promise<PlanDocument>;
}

/** Every string leaf of a value, by dotted path. */
function leaves(value: unknown, path: string, into: Map<string, string>): Map<string, string> {
  if (typeof value === "string") into.set(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${path}[${i}]`, into));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) leaves(v, `${path}.${k}`, into);
  }
  return into;
}

/** Every string in the plan (resource inputs and stack outputs), keyed by where it is. */
function locations(plan: PlanDocument): Map<string, string> {
  const all = new Map<string, string>();
  for (const r of plan.resources) leaves(r.inputs, r.urn, all);
  leaves(plan.outputs, "outputs", all);
  return all;
}

/** What the provider would hand out for a random resource with these inputs (the fakes follow the keepers). */
function generatedValues(r: PlanResource): string[] {
  const outputs = FAKE_OUTPUTS[r.type](r.name, r.inputs);
  return [outputs["result"], outputs["bcryptHash"]].filter((v): v is string => typeof v === "string");
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Where a rotation must show on the server side, per profile and credential kind: resource name and input path. */
function serverTriggers(profile: string, id: string, cfg: StackConfig): { name: string; path: string }[] {
  const area = id.split(".")[0];
  const role = id.startsWith("postgres.roles.") ? id.slice("postgres.roles.".length) : undefined;
  const layoutRole = role ? [{ name: `postgres-layout-role-${role}`, path: "password" }] : [];
  switch (profile) {
    case "docker":
      if (role) return layoutRole;
      return [
        {
          name: {
            postgres: "postgres-server",
            valkey: "valkey-server",
            objectStore: "rustfs-server",
            nats: "nats-server",
          }[area] as string,
          // Every Docker server reads its credentials from uploaded files (RustFS's keys through *_FILE).
          path: "uploads",
        },
      ];
    case "kubernetes":
      if (role) {
        return [
          { name: "postgres-layout-job", path: "metadata.name" },
          { name: "postgres-layout-credentials", path: "stringData" },
        ];
      }
      return {
        postgres: [{ name: "postgres-superuser", path: "stringData" }],
        valkey: [
          { name: "valkey-release", path: "values.podAnnotations" },
          { name: "valkey-users", path: "stringData" },
        ],
        objectStore: [
          { name: "rustfs-server", path: "spec.template.metadata.annotations" },
          { name: "rustfs-credentials", path: "stringData" },
        ],
        nats: [
          { name: "nats-release", path: "values.podTemplate.merge.metadata.annotations" },
          { name: "nats-credentials", path: "stringData" },
        ],
      }[area] as { name: string; path: string }[];
    case "aws": {
      if (role) return layoutRole;
      if (id === "postgres.admin") return [{ name: "postgres-instance", path: "password" }];
      const user = id.startsWith("valkey.users.")
        ? id.slice("valkey.users.".length)
        : id === "valkey.admin"
          ? cfg.valkey.adminUser
          : id.slice("valkey.".length);
      return [{ name: `valkey-user-${user}`, path: "authenticationMode" }];
    }
    default:
      return layoutRole;
  }
}

function inputAt(r: PlanResource, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], r.inputs);
}

function byName(plan: PlanDocument, name: string): PlanResource {
  const found = plan.resources.filter((r) => r.name === name && r.custom);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
  return found[0];
}

describe.each(variants())("rotating credentials of $label", (variant) => {
  const cfg = stackConfig(variant.stack, variant.overrides);
  const ids = rotatableCredentialIds(cfg).filter((id) => id.startsWith(variant.idPrefix));

  it("has a rotation id for every credential it generates, and an id only for those", async () => {
    const base = await revealedPlan(variant);
    const generated = base.resources.filter((r) => RANDOM_TYPES.has(r.type)).map((r) => r.urn);
    const covered = new Set<string>();
    for (const id of rotatableCredentialIds(cfg)) {
      const rotated = await revealedPlan(variant, { [id]: TOKEN });
      const changed = rotated.resources.filter((r) => RANDOM_TYPES.has(r.type) && r.inputs["keepers"] !== undefined);
      expect(changed.length, id).toBeGreaterThan(0);
      for (const r of changed) covered.add(r.urn);
    }
    expect([...covered].sort()).toEqual([...generated].sort());
  });

  it.each(ids)("%s: a new secret that reaches its server and every consumer, nothing else changed", async (id) => {
    const base = await revealedPlan(variant);
    const after = await revealedPlan(variant, { [id]: TOKEN });
    expect(after.resources.map((r) => r.urn)).toEqual(base.resources.map((r) => r.urn));
    const before = new Map(base.resources.map((r) => [r.urn, r]));

    // The credential's own random resources take the token; every other credential stays as it is.
    const rotated = after.resources.filter((r) => RANDOM_TYPES.has(r.type) && r.inputs["keepers"] !== undefined);
    expect(rotated.length).toBe(id === "objectStore.root" ? 2 : 1);
    for (const r of after.resources.filter((x) => RANDOM_TYPES.has(x.type))) {
      if (rotated.includes(r)) expect(r.inputs["keepers"]).toEqual({ rotation: TOKEN });
      else expect(r.inputs, r.name).toEqual(before.get(r.urn)?.inputs);
    }

    // The server that checks it is told: its trigger input changes.
    for (const trigger of serverTriggers(profileOf(variant.stack), id, cfg)) {
      const now = byName(after, trigger.name);
      // Whether that is an update or a replacement is recorded, with its source, in rotationFacts.ts.
      expect(CREDENTIAL_CHANGES[now.type], now.type).toBeDefined();
      expect(inputAt(now, trigger.path), `${trigger.name}.${trigger.path}`).toBeDefined();
      expect(inputAt(now, trigger.path), `${trigger.name}.${trigger.path}`).not.toEqual(
        inputAt(before.get(now.urn) as PlanResource, trigger.path),
      );
    }

    // Every place that carried the old value carries the new one, and the old value (or its hash) is gone.
    const was = locations(base);
    const is = locations(after);
    let outputsCarrying = 0;
    for (const r of rotated) {
      const [oldValue, oldBcrypt] = generatedValues(before.get(r.urn) as PlanResource);
      const [newValue] = generatedValues(r);
      expect(newValue).not.toBe(oldValue);
      for (const [where, text] of was) {
        if (!text.includes(oldValue)) continue;
        if (where.startsWith("outputs.")) outputsCarrying++;
        expect(is.get(where), where).toContain(newValue);
      }
      const gone = [oldValue, sha256(oldValue), ...(oldBcrypt ? [oldBcrypt] : [])];
      for (const [where, text] of is) {
        for (const old of gone) expect(text.includes(old), `${where} still holds the old credential`).toBe(false);
      }
    }
    // Application credentials reach the service outputs; server-internal ones need not.
    const appFacing = /^(postgres\.roles|valkey\.users|nats\.users|objectStore\.root)/.test(id);
    if (appFacing) expect(outputsCarrying).toBeGreaterThan(0);

    // Nothing that holds data is replaced: its inputs change only where its provider updates in place.
    for (const r of after.resources.filter((x) => STATEFUL_TYPES.includes(x.type))) {
      const old = before.get(r.urn) as PlanResource;
      const updatable = updatableInputs(r.type);
      const strip = (inputs: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(inputs).filter(([k]) => !updatable.includes(k)));
      expect(strip(r.inputs), r.name).toEqual(strip(old.inputs));
      expect(r.options, r.name).toEqual(old.options);
    }
  });
});
