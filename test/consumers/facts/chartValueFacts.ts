import type { UpstreamSource } from "../../../plan/types";
import type { FreeFormPath } from "../chartValuePaths";

/**
 * Where the valkey and nats charts take free-form maps: any key below these paths reaches the rendered objects,
 * though values.yaml names none. Each is read in the template that consumes it. Pure data.
 */

const valkey = (file: string, symbol: string): UpstreamSource => ({
  repository: "valkey-io/valkey-helm",
  ref: "valkey-0.9.4 (263d697f)",
  file: `valkey/templates/${file}`,
  symbol,
});

const nats = (file: string, symbol: string): UpstreamSource => ({
  repository: "nats-io/k8s",
  ref: "nats-1.3.13 (3fe191fa)",
  file: `helm/charts/nats/${file}`,
  symbol,
});

export const VALKEY_FREE_FORM: readonly FreeFormPath[] = [
  {
    path: "auth.aclUsers.*.permissions",
    why: "one ACL line per user: `range $username, $user := .Values.auth.aclUsers`, written `user <name> on #<hash> <permissions>`",
    source: valkey("init_config.yaml", "range .Values.auth.aclUsers / $user.permissions"),
  },
  {
    path: "commonLabels.**",
    why: "added to every object's labels and to the pod template",
    source: valkey("_helpers.tpl", "valkey.labels (with .Values.commonLabels)"),
  },
  {
    path: "podAnnotations.**",
    why: "the pod template's annotations, in the Deployment and the StatefulSet alike",
    source: valkey("deploy_valkey.yaml", "with .Values.podAnnotations (statefulset.yaml the same)"),
  },
];

export const NATS_FREE_FORM: readonly FreeFormPath[] = [
  {
    path: "config.merge.**",
    why: "merged into the whole nats.conf document",
    source: nats("templates/_helpers.tpl", "nats.loadMergePatch (files/config/config.yaml with .Values.config)"),
  },
  {
    path: "config.cluster.merge.**",
    why: "merged into the cluster block of nats.conf",
    source: nats("files/config/config.yaml", "nats.loadMergePatch of config/cluster.yaml with .Values.config.cluster"),
  },
  {
    path: "config.nats.tls.merge.**",
    why: "merged into the client tls block of nats.conf",
    source: nats("files/config/config.yaml", "nats.loadMergePatch of config/tls.yaml with .Values.config.nats.tls"),
  },
  {
    path: "container.env.*",
    why: "a string becomes `value:`, a map is the env var's body (valueFrom …)",
    source: nats("templates/_helpers.tpl", "nats.env (kindIs string / kindIs map)"),
  },
  {
    path: "container.env.*.**",
    why: "the body of a map-valued env var, rendered as it is",
    source: nats("templates/_helpers.tpl", "nats.env (merge (dict name $k) $v | toYaml)"),
  },
  {
    path: "container.merge.**",
    why: "merged into the nats container",
    source: nats(
      "files/stateful-set/pod-template.yaml",
      "nats.loadMergePatch of stateful-set/nats-container.yaml with .Values.container",
    ),
  },
  {
    path: "reloader.merge.**",
    why: "merged into the config reloader container",
    source: nats(
      "files/stateful-set/pod-template.yaml",
      "nats.loadMergePatch of stateful-set/reloader-container.yaml with .Values.reloader",
    ),
  },
  {
    path: "podTemplate.merge.**",
    why: "merged into the StatefulSet's pod template (metadata and spec)",
    source: nats(
      "files/stateful-set/stateful-set.yaml",
      "nats.loadMergePatch of stateful-set/pod-template.yaml with .Values.podTemplate",
    ),
  },
  {
    path: "global.labels.**",
    why: "added to every object's labels",
    source: nats("templates/_helpers.tpl", "nats.labels (with .Values.global.labels)"),
  },
];
