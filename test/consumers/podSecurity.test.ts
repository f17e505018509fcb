import { describe, expect, it } from "vitest";
import { RESTRICTED_RULES, restrictedViolations, type Pod } from "./podSecurity";

/** The restricted checker itself: a compliant pod passes, and each rule fails on the pod that breaks it. */

const CONTAINER_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  runAsNonRoot: true,
};

function compliant(): Pod {
  return {
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
      initContainers: [{ name: "init", securityContext: { ...CONTAINER_CONTEXT } }],
      containers: [{ name: "app", securityContext: { ...CONTAINER_CONTEXT }, ports: [{ containerPort: 80 }] }],
      volumes: [
        { name: "data", persistentVolumeClaim: { claimName: "d" } },
        { name: "tmp", emptyDir: {} },
        { name: "conf", configMap: { name: "c" } },
      ],
    },
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- pods are edited as plain JSON */
function edited(edit: (pod: any) => void): Pod {
  const pod = structuredClone(compliant());
  edit(pod);
  return pod;
}

const rulesBroken = (pod: Pod) => [...new Set(restrictedViolations(pod).map((v) => v.rule))].sort();

describe("PodSecurity restricted checker", () => {
  it("passes a pod that follows every rule", () => {
    expect(restrictedViolations(compliant())).toEqual([]);
  });

  it.each([
    ["hostNamespaces", (p: any) => (p.spec.hostNetwork = true)],
    ["privileged", (p: any) => (p.spec.containers[0].securityContext.privileged = true)],
    ["capabilities_baseline", (p: any) => (p.spec.containers[0].securityContext.capabilities.add = ["SYS_ADMIN"])],
    ["hostPathVolumes", (p: any) => p.spec.volumes.push({ name: "h", hostPath: { path: "/" } })],
    ["hostPorts", (p: any) => (p.spec.containers[0].ports[0].hostPort = 8080)],
    ["appArmorProfile", (p: any) => (p.spec.securityContext.appArmorProfile = { type: "Unconfined" })],
    ["seLinuxOptions", (p: any) => (p.spec.securityContext.seLinuxOptions = { user: "root" })],
    ["procMount", (p: any) => (p.spec.containers[0].securityContext.procMount = "Unmasked")],
    ["sysctls", (p: any) => (p.spec.securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }])],
    ["hostProbesAndHostLifecycle", (p: any) => (p.spec.containers[0].livenessProbe = { httpGet: { host: "x" } })],
    ["allowPrivilegeEscalation", (p: any) => delete p.spec.initContainers[0].securityContext.allowPrivilegeEscalation],
    ["runAsUser", (p: any) => (p.spec.securityContext.runAsUser = 0)],
  ])("refuses a pod that breaks %s", (rule, edit) => {
    expect(rulesBroken(edited(edit))).toContain(rule);
  });

  it("refuses a volume type outside the restricted list, but not the PVC, emptyDir, configMap kinds", () => {
    expect(rulesBroken(edited((p) => p.spec.volumes.push({ name: "n", nfs: { server: "s", path: "/" } })))).toEqual([
      "restrictedVolumes",
    ]);
  });

  it("takes runAsNonRoot and seccomp from the pod when a container leaves them unset, and not otherwise", () => {
    const podLevel = edited((p) => delete p.spec.containers[0].securityContext.runAsNonRoot);
    expect(restrictedViolations(podLevel)).toEqual([]);
    const neither = edited((p) => {
      delete p.spec.securityContext.runAsNonRoot;
      delete p.spec.containers[0].securityContext.runAsNonRoot;
    });
    expect(restrictedViolations(neither)).toEqual([
      { rule: "runAsNonRoot", detail: "pod or container app must set runAsNonRoot: true" },
    ]);
    const noSeccomp = edited((p) => delete p.spec.securityContext.seccompProfile);
    expect(rulesBroken(noSeccomp)).toEqual(["seccompProfile_restricted"]);
    const unconfined = edited((p) => (p.spec.containers[0].securityContext.seccompProfile = { type: "Unconfined" }));
    expect(rulesBroken(unconfined)).toEqual(["seccompProfile_baseline", "seccompProfile_restricted"]);
  });

  it("requires dropping ALL capabilities and allows adding only NET_BIND_SERVICE", () => {
    const keeps = edited((p) => (p.spec.containers[0].securityContext.capabilities = {}));
    expect(rulesBroken(keeps)).toEqual(["capabilities_restricted"]);
    const bind = edited((p) => (p.spec.containers[0].securityContext.capabilities.add = ["NET_BIND_SERVICE"]));
    expect(restrictedViolations(bind)).toEqual([]);
    const chown = edited((p) => (p.spec.containers[0].securityContext.capabilities.add = ["CHOWN"]));
    expect(rulesBroken(chown)).toEqual(["capabilities_restricted"]);
  });

  it("cites the admission plugin's check for every rule", () => {
    for (const rule of RESTRICTED_RULES) {
      expect(rule.source.repository).toBe("kubernetes/pod-security-admission");
      expect(rule.source.file).toMatch(/^policy\/check_\w+\.go$/);
      expect(rule.source.symbol).not.toBe("");
    }
  });
});
