import type { UpstreamSource } from "../../../plan/types";
import type { Container, Pod } from "../podSecurity";
import { helmCoalesce, mergeOverwrite } from "./helmMerge";

/**
 * The pods the valkey and nats charts render from our values, as far as Pod Security is concerned: security
 * contexts, containers, volumes, host namespaces and ports. What each template does is written down here, with
 * the template it was read in; no template code is copied. Pure.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values are free-form */
type Values = any;

export const VALKEY_TEMPLATES: UpstreamSource = {
  repository: "valkey-io/valkey-helm",
  ref: "valkey-0.9.4 (263d697f)",
  file: "valkey/templates/deploy_valkey.yaml, valkey/templates/statefulset.yaml",
  symbol:
    "pod securityContext = .Values.podSecurityContext; the -init container and the valkey container take .Values.securityContext; metrics takes metrics.exporter.securityContext; volumes: scripts (configMap), valkey-acl (emptyDir, with auth), valkey-config (configMap), <fullname>-tls and valkey-users-secret (secret), data: PVC, hostPath (dataStorage.hostPath) or emptyDir; extraInitContainers, extraVolumes verbatim",
};

export const NATS_TEMPLATES: UpstreamSource = {
  repository: "nats-io/k8s",
  ref: "nats-1.3.13 (3fe191fa)",
  file: "helm/charts/nats/files/stateful-set/{pod-template,nats-container,reloader-container,prom-exporter-container}.yaml",
  symbol:
    "no securityContext of its own anywhere; each document is mergeOverwrite'd with its `merge` value (templates/_helpers.tpl nats.loadMergePatch): the pod template with podTemplate.merge, the containers with container.merge / reloader.merge / promExporter.merge; volumes: config (configMap), pid (emptyDir), TLS secrets; JetStream data through volumeClaimTemplates; natsBox: a Deployment (files/nats-box/deployment/*) with secret volumes and natsBox.podTemplate.merge / natsBox.container.merge",
};

function valkeyFullname(values: Values): string {
  return values.fullnameOverride || "valkey";
}

/** The valkey chart's one pod (a Deployment without replicas, a StatefulSet with them). */
export function valkeyChartPod(userValues: Values, chartDefaults: Values): Pod {
  const v = helmCoalesce(chartDefaults, userValues);
  const name = valkeyFullname(v);
  const initContainers: Container[] = [
    { name: `${name}-init`, ...(v.securityContext ? { securityContext: v.securityContext } : {}) },
    ...((v.extraInitContainers ?? []) as Container[]),
  ];
  const containers: Container[] = [{ name, securityContext: v.securityContext }];
  if (v.metrics?.enabled) {
    containers.push({
      name: "metrics",
      ...(v.metrics.exporter?.securityContext ? { securityContext: v.metrics.exporter.securityContext } : {}),
    });
  }
  const volumes: Values[] = [{ name: "scripts", configMap: { name: `${name}-init-scripts` } }];
  if (v.auth?.enabled) volumes.push({ name: "valkey-acl", emptyDir: { medium: "Memory" } });
  if (v.valkeyConfig) volumes.push({ name: "valkey-config", configMap: { name: `${name}-config` } });
  if (v.tls?.enabled) volumes.push({ name: `${name}-tls`, secret: { secretName: v.tls.existingSecret } });
  if (v.auth?.enabled && v.auth.usersExistingSecret)
    volumes.push({ name: "valkey-users-secret", secret: { secretName: v.auth.usersExistingSecret } });
  if (!v.replica?.enabled) {
    const storage = v.dataStorage ?? {};
    if (storage.enabled) volumes.push({ name: "valkey-data", persistentVolumeClaim: { claimName: name } });
    else if (storage.hostPath) volumes.push({ name: "valkey-data", hostPath: { path: storage.hostPath } });
    else volumes.push({ name: "valkey-data", emptyDir: {} });
  }
  volumes.push(...((v.extraVolumes ?? []) as Values[]));
  return { spec: { securityContext: v.podSecurityContext, initContainers, containers, volumes } };
}

function natsContainer(name: string, merge: Values, ports: Values[] = []): Container {
  return mergeOverwrite({ name, ports }, merge ?? {}) as Container;
}

/** The nats chart's StatefulSet pod, and the nats-box Deployment's pod when natsBox is on. */
export function natsChartPods(userValues: Values, chartDefaults: Values): { name: string; pod: Pod }[] {
  const v = helmCoalesce(chartDefaults, userValues);
  const ports = Object.entries(v.container?.ports ?? {}).map(([protocol, extra]) => ({
    name: protocol,
    ...(extra as object),
  }));
  const containers: Container[] = [natsContainer("nats", v.container?.merge, ports)];
  if (v.reloader?.enabled) containers.push(natsContainer("reloader", v.reloader.merge));
  if (v.promExporter?.enabled) containers.push(natsContainer("prom-exporter", v.promExporter.merge));
  const volumes: Values[] = [
    { name: "config", configMap: { name: "nats-config" } },
    { name: "pid", emptyDir: {} },
  ];
  if (v.config?.nats?.tls?.enabled)
    volumes.push({ name: "nats-tls", secret: { secretName: v.config.nats.tls.secretName } });
  const template = mergeOverwrite(
    { spec: { containers, volumes, ...(v.reloader?.enabled ? { shareProcessNamespace: true } : {}) } },
    v.podTemplate?.merge ?? {},
  ) as Pod;
  const pods = [{ name: "nats StatefulSet", pod: template }];
  if (v.natsBox?.enabled) {
    const box = mergeOverwrite(
      {
        spec: {
          containers: [natsContainer("nats-box", v.natsBox.container?.merge)],
          volumes: [{ name: "contexts", secret: { secretName: "nats-box-contexts" } }],
        },
      },
      v.natsBox.podTemplate?.merge ?? {},
    ) as Pod;
    pods.push({ name: "nats-box Deployment", pod: box });
  }
  return pods;
}
