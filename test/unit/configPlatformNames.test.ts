import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configProblems } from "../harness/configProblems";
import { labelKeyProblem, labelValueProblem } from "../../components/settingsCommon";

/**
 * Names that reach a platform are checked by that platform's own rules when the config loads, so no `pulumi up`
 * stops half-way on a name the API refuses. Rules: Kubernetes (k8s.io/apimachinery IsDNS1123Label,
 * IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue), RDS/ElastiCache identifiers (no trailing '-', no '--').
 */

const problemsOf = (values: Record<string, unknown>, stack = "test") => configProblems(values, { stack });

const k8s = (kubernetes: Record<string, unknown>) =>
  problemsOf({ profile: "kubernetes", kubernetes: { runsInCluster: true, ...kubernetes } });

describe("Kubernetes names", () => {
  it("refuses a namespace longer than 63 characters or not a DNS label", () => {
    expect(k8s({ namespace: "n".repeat(64) })).toEqual([
      expect.stringMatching(/^stellaops-infra:kubernetes\.namespace: must be a Kubernetes name/),
    ]);
    expect(k8s({ namespace: "n".repeat(63) })).toEqual([]);
    expect(k8s({ namespace: "-stella" })).toHaveLength(1);
  });

  it("refuses storage classes, pull secrets and TLS secret names the API server would refuse, each at its key", () => {
    const problems = k8s({
      storageClass: "Fast SSD",
      imagePullSecrets: ["ok-secret", "Bad_Secret"],
      valkey: { tlsSecretName: "valkey tls", storageClass: "x".repeat(254) },
      postgres: { storageClass: "gp3." },
    });
    expect(problems.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual([
      "stellaops-infra:kubernetes.storageClass",
      "stellaops-infra:kubernetes.imagePullSecrets[1]",
      "stellaops-infra:kubernetes.postgres.storageClass",
      "stellaops-infra:kubernetes.valkey.storageClass",
      "stellaops-infra:kubernetes.valkey.tlsSecretName",
    ]);
  });

  it("refuses label keys and values Kubernetes refuses ('prod-' is not a label value)", () => {
    const problems = k8s({ labels: { team: "prod-", "example.com/owner": "ok", "bad key": "x", "a/b/c": "x" } });
    expect(problems).toEqual([
      expect.stringMatching(/^stellaops-infra:kubernetes\.labels\.team: label value must be/),
      expect.stringMatching(/^stellaops-infra:kubernetes\.labels\.bad key: label key name/),
      expect.stringMatching(/^stellaops-infra:kubernetes\.labels\.a\/b\/c: label key prefix/),
    ]);
  });

  it("accepts exactly the label values Kubernetes accepts", () => {
    const kubernetesAccepts = (v: string) =>
      v === "" || (v.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."aZ09-_./ "), maxLength: 70 }), (v) => {
        expect(labelValueProblem(v) === undefined).toBe(kubernetesAccepts(v));
      }),
    );
    expect(labelKeyProblem("app.kubernetes.io/part-of")).toBeUndefined();
    expect(labelKeyProblem(`${"p".repeat(254)}/x`)).toBeDefined();
  });
});

describe("environment names", () => {
  it.each(["prod-", "prod--eu", "Prod", "9prod"])(
    "refuses environment %j (RDS, ElastiCache and label values refuse it)",
    (environment) => {
      expect(problemsOf({ profile: "docker", environment })).toEqual([
        expect.stringMatching(/^stellaops-infra:environment: must be lowercase letters, digits and single hyphens/),
      ]);
    },
  );

  it("checks the stack name when environment is absent, and asks for environment", () => {
    expect(problemsOf({ profile: "docker" }, "Prod_EU")).toEqual([
      expect.stringMatching(
        /^stellaops-infra:environment: required: the stack name "Prod_EU" is not a usable environment name/,
      ),
    ]);
    expect(problemsOf({ profile: "docker", environment: "prod-eu" }, "Prod_EU")).toEqual([]);
    expect(problemsOf({ profile: "docker" }, "prod-eu")).toEqual([]);
  });
});
