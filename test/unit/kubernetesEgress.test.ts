import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../profiles/config";
import { cnpgApiServerEgressSpec } from "../../profiles/kubernetes/apiServerEgress";
import { planStack, type PlanDocument, type PlanResource } from "../../plan/offlinePlan";
import { readStackConfig } from "../../plan/stackFiles";
import { settingOverride } from "../harness/stackOverrides";

/**
 * kubernetes.denyEgress with CloudNativePG: the instance pods (and only they) keep a way to the Kubernetes API
 * server, given by address in kubernetes.apiServer; without those addresses the stack does not start.
 */

const NS = "stellaops-infra";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

function problemsOf(kubernetes: Record<string, unknown>): string[] {
  const raw = {
    [`${NS}:profile`]: "kubernetes",
    [`${NS}:kubernetes`]: JSON.stringify({ runsInCluster: true, ...kubernetes }),
  };
  try {
    parseStackConfig(raw, "test");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("the CloudNativePG API server exception (pure spec)", () => {
  const spec = cnpgApiServerEgressSpec({ cidrs: ["10.96.0.1/32", "192.168.10.5/32"], ports: [443, 6443] }, "pg");

  it("selects only the pods of our CloudNativePG Cluster and restricts their egress", () => {
    expect(spec.podSelector).toEqual({ matchLabels: { "cnpg.io/cluster": "pg" } });
    expect(spec.policyTypes).toEqual(["Egress"]);
  });

  it("allows those pods only the given CIDRs on the given TCP ports", () => {
    expect(spec.egress).toEqual([
      {
        to: [{ ipBlock: { cidr: "10.96.0.1/32" } }, { ipBlock: { cidr: "192.168.10.5/32" } }],
        ports: [
          { protocol: "TCP", port: 443 },
          { protocol: "TCP", port: 6443 },
        ],
      },
    ]);
  });

  it("refuses to build a rule without destinations (which NetworkPolicy reads as every address)", () => {
    expect(() => cnpgApiServerEgressSpec({ cidrs: [], ports: [443] }, "pg")).toThrow(/CIDR/);
    expect(() => cnpgApiServerEgressSpec({ cidrs: ["10.96.0.1/32"], ports: [] }, "pg")).toThrow(/port/);
  });
});

describe("kubernetes.apiServer config", () => {
  it("requires the API server CIDRs with denyEgress, naming the key and why", () => {
    const problems = problemsOf({ denyEgress: true });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^stellaops-infra:kubernetes\.apiServer\.cidrs: required when kubernetes\.denyEgress/);
    expect(problems[0]).toMatch(/CloudNativePG/);
    expect(problems[0]).toMatch(/API server/);
  });

  it("needs no CIDRs without denyEgress, and defaults the ports to 443 and 6443", () => {
    expect(problemsOf({})).toEqual([]);
    const cfg = parseStackConfig(
      {
        [`${NS}:profile`]: "kubernetes",
        [`${NS}:kubernetes`]: JSON.stringify({
          runsInCluster: true,
          denyEgress: true,
          apiServer: { cidrs: ["10.96.0.1/32"] },
        }),
      },
      "test",
    );
    if (cfg.profile !== "kubernetes") throw new Error("unreachable");
    expect(cfg.kubernetes.apiServer).toEqual({ cidrs: ["10.96.0.1/32"], ports: [443, 6443] });
  });

  it.each([
    ["a bare address", "10.96.0.1"],
    ["an out-of-range octet", "10.96.0.256/32"],
    ["an out-of-range prefix", "10.96.0.0/33"],
    ["every IPv4 address", "0.0.0.0/0"],
    ["every IPv6 address", "::/0"],
    ["a host name", "kubernetes.default.svc"],
  ])("refuses %s as a CIDR, saying what is allowed", (_name, value) => {
    const problems = problemsOf({ denyEgress: true, apiServer: { cidrs: ["10.96.0.1/32", value] } });
    expect(problems).toEqual([
      "stellaops-infra:kubernetes.apiServer.cidrs[1]: must be a CIDR such as 10.96.0.1/32 or fd00::1/128 (a single address needs /32 or /128), not /0",
    ]);
  });

  it("accepts IPv6 CIDRs and refuses an empty or out-of-range port list", () => {
    expect(problemsOf({ denyEgress: true, apiServer: { cidrs: ["fd00::1/128"] } })).toEqual([]);
    expect(problemsOf({ apiServer: { ports: [] } }).join("\n")).toMatch(
      /stellaops-infra:kubernetes\.apiServer\.ports: must list at least one TCP port/,
    );
    expect(problemsOf({ apiServer: { ports: [70000] } }).join("\n")).toMatch(
      /stellaops-infra:kubernetes\.apiServer\.ports\[0\]: must be a TCP port number/,
    );
  });
});

function readKubernetesBlock(stack: string): Record<string, unknown> {
  return JSON.parse(readStackConfig(stack).config[`${NS}:kubernetes`]) as Record<string, unknown>;
}

function policies(plan: PlanDocument): PlanResource[] {
  return plan.resources.filter((r) => r.type === POLICY);
}

function policyNamed(plan: PlanDocument, name: string): PlanResource {
  const found = policies(plan).find((r) => r.name === name);
  if (!found) throw new Error(`no NetworkPolicy ${name} in the plan`);
  return found;
}

describe("the k8s example stack under denyEgress", () => {
  const apiServer = { cidrs: ["10.96.0.1/32", "172.18.0.2/32"], ports: [6443] };

  it("lets only the CloudNativePG pods reach the configured API server CIDRs and ports", async () => {
    const plan = await planStack("k8s", { overrides: settingOverride("k8s", "kubernetes.apiServer", apiServer) });
    const policy = policyNamed(plan, "cnpg-apiserver-egress");
    const spec = policy.inputs["spec"] as Record<string, unknown>;
    expect(spec["podSelector"]).toEqual({ matchLabels: { "cnpg.io/cluster": "stellaops-postgres" } });
    expect(spec["policyTypes"]).toEqual(["Egress"]);
    expect(spec["egress"]).toEqual([
      {
        to: [{ ipBlock: { cidr: "10.96.0.1/32" } }, { ipBlock: { cidr: "172.18.0.2/32" } }],
        ports: [{ protocol: "TCP", port: 6443 }],
      },
    ]);
    expect((policy.inputs["metadata"] as Record<string, unknown>)["namespace"]).toBe("stellaops");

    // The default-deny still covers every pod and allows nothing but the namespace and DNS.
    const deny = policyNamed(plan, "deny-egress");
    const denySpec = deny.inputs["spec"] as { podSelector: unknown; egress: { to: unknown[] }[] };
    expect(denySpec.podSelector).toEqual({});
    expect(JSON.stringify(denySpec.egress)).not.toContain("ipBlock");
    // The deny is applied only once the exception exists, so a first deployment never locks the instances out.
    expect(deny.dependencies).toContain(policy.urn);
  });

  it("follows the CloudNativePG Cluster's name", async () => {
    const plan = await planStack("k8s", {
      overrides: settingOverride("k8s", "kubernetes.postgres", { clusterName: "pg-main" }),
    });
    const spec = policyNamed(plan, "cnpg-apiserver-egress").inputs["spec"] as Record<string, unknown>;
    expect(spec["podSelector"]).toEqual({ matchLabels: { "cnpg.io/cluster": "pg-main" } });
  });

  it("creates no NetworkPolicy at all without denyEgress", async () => {
    const { apiServer: _unused, ...withoutEgress } = readKubernetesBlock("k8s");
    const plan = await planStack("k8s", {
      overrides: { [`${NS}:kubernetes`]: { ...withoutEgress, denyEgress: false } },
    });
    expect(policies(plan)).toEqual([]);
    expect(plan.resources.length).toBeGreaterThan(0);
  });

  it("lets every pod reach cluster DNS where the cluster runs it (OpenShift, NodeLocal DNSCache)", async () => {
    const dns = { namespace: "openshift-dns", ports: [5353], cidrs: ["169.254.20.10/32"] };
    const plan = await planStack("k8s", { overrides: settingOverride("k8s", "kubernetes.dns", dns) });
    const spec = policyNamed(plan, "deny-egress").inputs["spec"] as Record<string, unknown>;
    const dnsPorts = [
      { protocol: "UDP", port: 5353 },
      { protocol: "TCP", port: 5353 },
    ];
    expect(spec["egress"]).toEqual([
      { to: [{ podSelector: {} }] },
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "openshift-dns" } } }],
        ports: dnsPorts,
      },
      { to: [{ ipBlock: { cidr: "169.254.20.10/32" } }], ports: dnsPorts },
    ]);
  });
});

describe("egress settings without denyEgress", () => {
  it("are reported, not silently ignored", () => {
    expect(problemsOf({ apiServer: { cidrs: ["10.96.0.1/32"] }, dns: { ports: [5353] } })).toEqual([
      `${NS}:kubernetes.apiServer: only used with kubernetes.denyEgress: true; set denyEgress: true or remove it`,
      `${NS}:kubernetes.dns: only used with kubernetes.denyEgress: true; set denyEgress: true or remove it`,
    ]);
  });

  it("default DNS to kube-system on port 53", () => {
    const cfg = parseStackConfig(
      {
        [`${NS}:profile`]: "kubernetes",
        [`${NS}:kubernetes`]: JSON.stringify({
          runsInCluster: true,
          denyEgress: true,
          apiServer: { cidrs: ["10.96.0.1/32"] },
        }),
      },
      "test",
    );
    if (cfg.profile !== "kubernetes") throw new Error("unreachable");
    expect(cfg.kubernetes.dns).toEqual({ namespace: "kube-system", ports: [53], cidrs: [] });
  });
});
