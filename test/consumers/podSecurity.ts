import type { UpstreamSource } from "../../plan/types";

/**
 * The Pod Security Standards `restricted` profile (which includes `baseline`), as a pure checker of a pod spec.
 * Rules as kubernetes.io/docs/concepts/security/pod-security-standards states them for Kubernetes v1.34, read in
 * their implementation, the admission plugin's policy package: kubernetes/pod-security-admission @ v0.34.0
 * (19952357), policy/check_<id>.go; each rule names its file. Pods in a user namespace (`hostUsers: false`) get
 * relaxations upstream that this checker does not grant: every pod here must pass without them.
 */

export const PSA_SOURCE_REF = { repository: "kubernetes/pod-security-admission", ref: "v0.34.0 (19952357)" } as const;

/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are plain JSON here */
type Json = any;

export interface Container {
  name: string;
  securityContext?: Json;
  ports?: Json[];
  livenessProbe?: Json;
  readinessProbe?: Json;
  startupProbe?: Json;
  lifecycle?: Json;
}

export interface PodSpec {
  securityContext?: Json;
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Json[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
}

export interface Pod {
  metadata?: { annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface Violation {
  rule: string;
  detail: string;
}

interface Rule {
  id: string;
  level: "baseline" | "restricted";
  source: UpstreamSource;
  check: (pod: Pod) => string[];
}

const source = (file: string, symbol: string): UpstreamSource => ({
  ...PSA_SOURCE_REF,
  file: `policy/${file}`,
  symbol,
});

function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
}

const BASELINE_CAPABILITIES = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];
const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
];
const RESTRICTED_VOLUME_SOURCES = [
  "configMap",
  "downwardAPI",
  "emptyDir",
  "projected",
  "secret",
  "csi",
  "persistentVolumeClaim",
  "ephemeral",
  "image",
];
const SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const SECCOMP_ALLOWED = ["RuntimeDefault", "Localhost"];
const APPARMOR_ALLOWED = ["RuntimeDefault", "Localhost"];

export const RESTRICTED_RULES: readonly Rule[] = [
  {
    id: "hostProcess",
    level: "baseline",
    source: source("check_windowsHostProcess.go", "windowsHostProcess_1_0"),
    check: ({ spec }) => [
      ...(spec.securityContext?.windowsOptions?.hostProcess === true ? ["pod sets windowsOptions.hostProcess"] : []),
      ...allContainers(spec)
        .filter((c) => c.securityContext?.windowsOptions?.hostProcess === true)
        .map((c) => `container ${c.name} sets windowsOptions.hostProcess`),
    ],
  },
  {
    id: "hostNamespaces",
    level: "baseline",
    source: source("check_hostNamespaces.go", "hostNamespaces_1_0"),
    check: ({ spec }) =>
      (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => spec[k] === true).map((k) => `${k}: true`),
  },
  {
    id: "privileged",
    level: "baseline",
    source: source("check_privileged.go", "privileged_1_0"),
    check: ({ spec }) =>
      allContainers(spec)
        .filter((c) => c.securityContext?.privileged === true)
        .map((c) => `container ${c.name} is privileged`),
  },
  {
    id: "capabilities_baseline",
    level: "baseline",
    source: source("check_capabilities_baseline.go", "capabilitiesBaseline_1_0"),
    check: ({ spec }) =>
      allContainers(spec).flatMap((c) =>
        ((c.securityContext?.capabilities?.add ?? []) as string[])
          .filter((cap) => !BASELINE_CAPABILITIES.includes(cap))
          .map((cap) => `container ${c.name} adds ${cap}`),
      ),
  },
  {
    id: "hostPathVolumes",
    level: "baseline",
    source: source("check_hostPathVolumes.go", "hostPathVolumes_1_0"),
    check: ({ spec }) => (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => `volume ${v.name} is a hostPath`),
  },
  {
    id: "hostPorts",
    level: "baseline",
    source: source("check_hostPorts.go", "hostPorts_1_0"),
    check: ({ spec }) =>
      allContainers(spec).flatMap((c) =>
        (c.ports ?? []).filter((p) => (p.hostPort ?? 0) !== 0).map((p) => `container ${c.name} hostPort ${p.hostPort}`),
      ),
  },
  {
    id: "appArmorProfile",
    level: "baseline",
    source: source("check_appArmorProfile.go", "appArmorProfile_1_0"),
    check: ({ metadata, spec }) => {
      const bad: string[] = [];
      for (const [key, value] of Object.entries(metadata?.annotations ?? {})) {
        if (!key.startsWith("container.apparmor.security.beta.kubernetes.io/")) continue;
        if (value !== "" && value !== "runtime/default" && !value.startsWith("localhost/"))
          bad.push(`annotation ${key}=${value}`);
      }
      const type = (sc: Json) => sc?.appArmorProfile?.type as string | undefined;
      if (type(spec.securityContext) !== undefined && !APPARMOR_ALLOWED.includes(type(spec.securityContext)!))
        bad.push(`pod appArmorProfile ${type(spec.securityContext)}`);
      for (const c of allContainers(spec)) {
        const t = type(c.securityContext);
        if (t !== undefined && !APPARMOR_ALLOWED.includes(t)) bad.push(`container ${c.name} appArmorProfile ${t}`);
      }
      return bad;
    },
  },
  {
    id: "seLinuxOptions",
    level: "baseline",
    source: source("check_seLinuxOptions.go", "seLinuxOptions1_31"),
    check: ({ spec }) => {
      const bad = (who: string, o: Json): string[] => {
        if (!o) return [];
        const out: string[] = [];
        if (o.type !== undefined && !SELINUX_TYPES.includes(o.type)) out.push(`${who} seLinuxOptions.type ${o.type}`);
        if (o.user) out.push(`${who} seLinuxOptions.user`);
        if (o.role) out.push(`${who} seLinuxOptions.role`);
        return out;
      };
      return [
        ...bad("pod", spec.securityContext?.seLinuxOptions),
        ...allContainers(spec).flatMap((c) => bad(`container ${c.name}`, c.securityContext?.seLinuxOptions)),
      ];
    },
  },
  {
    id: "procMount",
    level: "baseline",
    source: source("check_procMount.go", "procMount_1_0"),
    check: ({ spec }) =>
      allContainers(spec)
        .filter((c) => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== "Default")
        .map((c) => `container ${c.name} procMount ${c.securityContext.procMount}`),
  },
  {
    id: "seccompProfile_baseline",
    level: "baseline",
    source: source("check_seccompProfile_baseline.go", "seccompProfileBaseline_1_19"),
    check: ({ spec }) => {
      const t = (sc: Json) => sc?.seccompProfile?.type as string | undefined;
      return [
        ...(t(spec.securityContext) !== undefined && !SECCOMP_ALLOWED.includes(t(spec.securityContext)!)
          ? [`pod seccompProfile ${t(spec.securityContext)}`]
          : []),
        ...allContainers(spec)
          .filter((c) => t(c.securityContext) !== undefined && !SECCOMP_ALLOWED.includes(t(c.securityContext)!))
          .map((c) => `container ${c.name} seccompProfile ${t(c.securityContext)}`),
      ];
    },
  },
  {
    id: "sysctls",
    level: "baseline",
    source: source("check_sysctls.go", "sysctlsV1Dot32"),
    check: ({ spec }) =>
      ((spec.securityContext?.sysctls ?? []) as { name: string }[])
        .filter((s) => !SAFE_SYSCTLS.includes(s.name))
        .map((s) => `sysctl ${s.name}`),
  },
  {
    id: "hostProbesAndHostLifecycle",
    level: "baseline",
    source: source("check_hostProbesAndhostLifecycle.go", "hostProbesAndHostLifecycleV1Dot34"),
    check: ({ spec }) =>
      allContainers(spec).flatMap((c) => {
        const handlers = [
          c.livenessProbe,
          c.readinessProbe,
          c.startupProbe,
          c.lifecycle?.postStart,
          c.lifecycle?.preStop,
        ];
        return handlers
          .filter((h) => h && (h.httpGet?.host || h.tcpSocket?.host))
          .map(() => `container ${c.name} probe or lifecycle handler sets host`);
      }),
  },
  {
    id: "restrictedVolumes",
    level: "restricted",
    source: source("check_restrictedVolumes.go", "restrictedVolumes_1_0"),
    check: ({ spec }) =>
      (spec.volumes ?? []).flatMap((v) => {
        const kinds = Object.keys(v).filter((k) => k !== "name");
        return kinds.filter((k) => !RESTRICTED_VOLUME_SOURCES.includes(k)).map((k) => `volume ${v.name} is ${k}`);
      }),
  },
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    source: source("check_allowPrivilegeEscalation.go", "allowPrivilegeEscalation_1_25"),
    check: ({ spec }) =>
      allContainers(spec)
        .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
        .map((c) => `container ${c.name} must set allowPrivilegeEscalation: false`),
  },
  {
    id: "runAsNonRoot",
    level: "restricted",
    source: source("check_runAsNonRoot.go", "runAsNonRoot_1_0"),
    check: ({ spec }) => {
      const pod = spec.securityContext?.runAsNonRoot as boolean | undefined;
      const bad: string[] = pod === false ? ["pod sets runAsNonRoot: false"] : [];
      for (const c of allContainers(spec)) {
        const own = c.securityContext?.runAsNonRoot as boolean | undefined;
        if (own === false) bad.push(`container ${c.name} sets runAsNonRoot: false`);
        else if (own === undefined && pod !== true) bad.push(`pod or container ${c.name} must set runAsNonRoot: true`);
      }
      return bad;
    },
  },
  {
    id: "runAsUser",
    level: "restricted",
    source: source("check_runAsUser.go", "runAsUser_1_23"),
    check: ({ spec }) => [
      ...(spec.securityContext?.runAsUser === 0 ? ["pod sets runAsUser: 0"] : []),
      ...allContainers(spec)
        .filter((c) => c.securityContext?.runAsUser === 0)
        .map((c) => `container ${c.name} sets runAsUser: 0`),
    ],
  },
  {
    id: "seccompProfile_restricted",
    level: "restricted",
    source: source("check_seccompProfile_restricted.go", "seccompProfileRestricted_1_25"),
    check: ({ spec }) => {
      const t = (sc: Json) => sc?.seccompProfile?.type as string | undefined;
      const pod = t(spec.securityContext);
      const bad = pod !== undefined && !SECCOMP_ALLOWED.includes(pod) ? [`pod seccompProfile ${pod}`] : [];
      for (const c of allContainers(spec)) {
        const own = t(c.securityContext);
        if (own === undefined && pod === undefined) bad.push(`pod or container ${c.name} must set a seccompProfile`);
        else if (own !== undefined && !SECCOMP_ALLOWED.includes(own))
          bad.push(`container ${c.name} seccompProfile ${own}`);
      }
      return bad;
    },
  },
  {
    id: "capabilities_restricted",
    level: "restricted",
    source: source("check_capabilities_restricted.go", "capabilitiesRestricted_1_25"),
    check: ({ spec }) =>
      allContainers(spec).flatMap((c) => {
        const caps = c.securityContext?.capabilities ?? {};
        const out: string[] = [];
        if (!((caps.drop ?? []) as string[]).includes("ALL"))
          out.push(`container ${c.name} must drop ALL capabilities`);
        for (const cap of (caps.add ?? []) as string[])
          if (cap !== "NET_BIND_SERVICE") out.push(`container ${c.name} adds ${cap}`);
        return out;
      }),
  },
];

/** Every `restricted` (and `baseline`) rule the pod breaks, with what breaks it. */
export function restrictedViolations(pod: Pod): Violation[] {
  return RESTRICTED_RULES.flatMap((rule) => rule.check(pod).map((detail) => ({ rule: rule.id, detail })));
}
