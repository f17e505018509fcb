import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanResource } from "../../plan/offlinePlan";
import { readChartDefaults, unknownValuePaths } from "./chartValuePaths";
import { crdErrors, crdFor, loadCrds, type CrdVersion } from "./crdSchema";
import { NATS_FREE_FORM, VALKEY_FREE_FORM } from "./facts/chartValueFacts";
import { natsChartPods, valkeyChartPod } from "./facts/chartPods";
import { cnpgInstancePod } from "./facts/cnpgPods";
import { helmCoalesce } from "./facts/helmMerge";
import { planKubernetesVariants, releasesOf, resourcesOf, type KubernetesVariant } from "./kubernetesPlans";
import { restrictedViolations, type Pod } from "./podSecurity";
import { BARMAN_CRDS, CNPG_CRDS, NATS_CHART, VALKEY_CHART } from "./upstream";

/**
 * Real-consumer tier for Kubernetes: what the program renders, checked against what consumes it at the pinned
 * versions. CloudNativePG objects against the 1.28.0 CRDs (and the barman-cloud plugin's), Helm values against
 * the valkey 0.9.4 and nats 1.3.13 charts' values.yaml (and valkey's values.schema.json), every pod against
 * PodSecurity `restricted`. The k8s example stack is planned as it is and with everything else switched on.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are free-form JSON */
let variants: KubernetesVariant[];
let crds: CrdVersion[];

beforeAll(async () => {
  variants = await planKubernetesVariants();
  crds = [...loadCrds(CNPG_CRDS()), ...loadCrds(BARMAN_CRDS())];
}, 120_000);

const everythingOn = () => variants[1].plan;

/** `kubernetes:postgresql.cnpg.io/v1:Cluster` → the CRD's group, version and kind. */
function cnpgObjects(resources: readonly PlanResource[]): PlanResource[] {
  return resources.filter((r) => /^kubernetes:[a-z.]*cnpg\.io\/[^:]+:/.test(r.type));
}

describe("CloudNativePG objects against their CRDs (cloudnative-pg 1.28.0, plugin-barman-cloud 0.14.0)", () => {
  it("validates every *.cnpg.io object the program renders, unknown fields refused", () => {
    let validated = 0;
    for (const { name, plan } of variants) {
      for (const r of cnpgObjects(plan.resources)) {
        const { apiVersion, kind, metadata, spec } = r.inputs as Record<string, any>;
        const crd = crdFor(crds, apiVersion, kind);
        expect(crd, `${name}: ${r.type} ${r.name} has no CRD in the pinned files`).toBeDefined();
        expect(crdErrors(crd!, { apiVersion, kind, metadata, spec }), `${name}: ${r.name}`).toEqual([]);
        validated++;
      }
    }
    // The Cluster in both variants, at least.
    expect(validated).toBeGreaterThanOrEqual(2);
  });

  it("would catch a misspelt Cluster field, which the API server would prune without a word", () => {
    const cluster = resourcesOf(everythingOn(), "kubernetes:postgresql.cnpg.io/v1:Cluster")[0];
    const { apiVersion, kind, metadata, spec } = cluster.inputs as Record<string, any>;
    const crd = crdFor(crds, apiVersion, kind)!;
    const misspelt = { ...spec, storage: { sizee: spec.storage.size } };
    expect(crdErrors(crd, { apiVersion, kind, metadata, spec: misspelt })).toContain(
      "/spec/storage: must NOT have additional properties (sizee)",
    );
    expect(crdErrors(crd, { apiVersion, kind, metadata, spec: { ...spec, instances: "3" } })).toContain(
      "/spec/instances: must be integer",
    );
  });
});

describe("Helm values against the charts' values.yaml (valkey 0.9.4, nats 1.3.13)", () => {
  const charts = () => [
    { chart: "valkey", defaults: readChartDefaults(VALKEY_CHART("values.yaml")), facts: VALKEY_FREE_FORM },
    { chart: "nats", defaults: readChartDefaults(NATS_CHART("values.yaml")), facts: NATS_FREE_FORM },
  ];

  it("sets only paths the chart has, or free-form maps recorded with the template that reads them", () => {
    let releases = 0;
    for (const { name, plan } of variants) {
      for (const { chart, defaults, facts } of charts()) {
        for (const release of releasesOf(plan, chart)) {
          const values = release.inputs["values"] as Record<string, unknown>;
          expect(unknownValuePaths(values, defaults, facts), `${name}: ${release.name}`).toEqual([]);
          releases++;
        }
      }
    }
    // valkey in both variants, nats in the second.
    expect(releases).toBe(3);
  });

  it("reports a misspelt path in the values the program renders", () => {
    const [valkey] = charts();
    const values = releasesOf(everythingOn(), "valkey")[0].inputs["values"] as Record<string, any>;
    const misspelt = { ...values, replica: { ...values["replica"], minReplicaToWrite: 1 } };
    expect(unknownValuePaths(misspelt, valkey.defaults, valkey.facts)).toEqual([
      'replica.minReplicaToWrite: "minReplicaToWrite" is not a key of replica in values.yaml',
    ]);
  });

  it("validates the coalesced valkey values against the chart's values.schema.json, as helm install does", () => {
    const schema = JSON.parse(readFileSync(VALKEY_CHART("values.schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const defaults = readChartDefaults(VALKEY_CHART("values.yaml"));
    for (const { name, plan } of variants) {
      for (const release of releasesOf(plan, "valkey")) {
        const ok = validate(helmCoalesce(defaults, release.inputs["values"]));
        expect(validate.errors ?? [], `${name}: ${release.name}`).toEqual([]);
        expect(ok).toBe(true);
      }
    }
    // And the schema does refuse a value of the wrong type.
    expect(validate(helmCoalesce(defaults, { replica: { replicas: "two" } }))).toBe(false);
  });
});

describe("PodSecurity restricted on every pod (Kubernetes v1.34 rules)", () => {
  const POD_OWNERS = ["apps/v1:StatefulSet", "apps/v1:Deployment", "apps/v1:DaemonSet", "batch/v1:Job", "core/v1:Pod"];

  /** Every pod the variant's plan creates or makes a chart or operator create, by name. */
  function podsOf(variant: KubernetesVariant): { name: string; pod: Pod }[] {
    const { plan } = variant;
    const pods: { name: string; pod: Pod }[] = [];
    for (const r of plan.resources.filter((x) => POD_OWNERS.some((t) => x.type === `kubernetes:${t}`))) {
      const inputs = r.inputs as Record<string, any>;
      const template = r.type.endsWith(":Pod") ? inputs : inputs["spec"]["template"];
      pods.push({ name: `${r.type} ${r.name}`, pod: template as Pod });
    }
    const valkeyDefaults = readChartDefaults(VALKEY_CHART("values.yaml"));
    for (const r of releasesOf(plan, "valkey"))
      pods.push({ name: `valkey chart ${r.name}`, pod: valkeyChartPod(r.inputs["values"], valkeyDefaults) });
    const natsDefaults = readChartDefaults(NATS_CHART("values.yaml"));
    for (const r of releasesOf(plan, "nats"))
      for (const p of natsChartPods(r.inputs["values"], natsDefaults))
        pods.push({ name: `${p.name} ${r.name}`, pod: p.pod });
    for (const r of resourcesOf(plan, "kubernetes:postgresql.cnpg.io/v1:Cluster"))
      pods.push({ name: `CloudNativePG instance of ${r.name}`, pod: cnpgInstancePod((r.inputs as any).spec) });
    return pods;
  }

  it("passes every rule on the RustFS, layout Job, Valkey, NATS and CloudNativePG pods", () => {
    const checked: string[] = [];
    for (const variant of variants) {
      for (const { name, pod } of podsOf(variant)) {
        expect(restrictedViolations(pod), `${variant.name}: ${name}`).toEqual([]);
        checked.push(name);
      }
    }
    const kinds = [
      "StatefulSet rustfs-server",
      "Job postgres-layout-job",
      "valkey chart",
      "nats StatefulSet",
      "CloudNativePG",
    ];
    for (const kind of kinds)
      expect(
        checked.some((n) => n.includes(kind)),
        kind,
      ).toBe(true);
  });

  it("runs NATS as a non-root user whose group owns the JetStream volume", () => {
    const release = releasesOf(everythingOn(), "nats")[0];
    const values = release.inputs["values"] as Record<string, any>;
    const [{ pod }] = natsChartPods(values, readChartDefaults(NATS_CHART("values.yaml")));
    const context = pod.spec.securityContext;
    expect(context.runAsUser).not.toBe(0);
    expect(context.fsGroup).toBe(context.runAsGroup);
    // The store lives on the chart's volumeClaimTemplate, which fsGroup covers; the pid file on an emptyDir.
    expect(values["config"].jetstream.fileStore.pvc.enabled).toBe(true);
    expect(pod.spec.volumes).toContainEqual({ name: "pid", emptyDir: {} });
  });

  it("would refuse the NATS pod the chart renders without our security contexts (the image runs as root)", () => {
    const values = releasesOf(everythingOn(), "nats")[0].inputs["values"] as Record<string, any>;
    const bare = {
      ...values,
      container: { ...values["container"], merge: {} },
      podTemplate: { ...values["podTemplate"], merge: { metadata: values["podTemplate"].merge.metadata } },
    };
    const [{ pod }] = natsChartPods(bare, readChartDefaults(NATS_CHART("values.yaml")));
    const rules = new Set(restrictedViolations(pod).map((v) => v.rule));
    expect([...rules].sort()).toEqual([
      "allowPrivilegeEscalation",
      "capabilities_restricted",
      "runAsNonRoot",
      "seccompProfile_restricted",
    ]);
  });
});
