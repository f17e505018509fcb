import type * as docker from "@pulumi/docker";
import { field, fields } from "../fields";
import type { ReplacementRule, UpstreamSource } from "../types";

/**
 * kreuzwerker/terraform-provider-docker, bridged by @pulumi/docker. v4.5.0 is the `upstream` submodule of
 * pulumi-docker v5.1.0 and of its newest stored commit; the 5.2.0 SDK installed here was not in the snapshot.
 */
const upstream = (file: string, symbol: string): UpstreamSource => ({
  repository: "kreuzwerker/terraform-provider-docker",
  ref: "v4.5.0",
  file,
  symbol,
  note: "upstream submodule of pulumi/pulumi-docker v5.1.0 (installed @pulumi/docker 5.2.0)",
});

export const DOCKER_RULES: readonly ReplacementRule[] = [
  {
    type: "docker:index/container:Container",
    // Everything but restart, resources (cpu/memory/blkio), healthcheck, wait, logs, must_run and a few
    // client-side settings is ForceNew; resourceDockerContainerUpdate applies only restart and resources.
    forceNew: [
      ...fields<docker.ContainerArgs>(
        "capabilities",
        "cgroupParent",
        "cgroupnsMode",
        "command",
        "cpus",
        "deviceRequests",
        "devices",
        "dns",
        "dnsOpts",
        "dnsSearches",
        "domainname",
        "entrypoints",
        "envs",
        "gpus",
        "groupAdds",
        "hosts",
        "hostname",
        "image",
        "ipcMode",
        "labels",
        "logDriver",
        "logOpts",
        "mounts",
        "name",
        "networkMode",
        "networksAdvanced",
        "pidMode",
        "platform",
        "ports",
        "privileged",
        "publishAllPorts",
        "readOnly",
        "runtime",
        "securityOpts",
        "shmSize",
        "stdinOpen",
        "stopSignal",
        "stopTimeout",
        "storageOpts",
        "sysctls",
        "tty",
        "ulimits",
        "uploads",
        "user",
        "usernsMode",
        "volumes",
        "workingDir",
      ),
    ],
    // `log_driver` is Optional+Computed (unset, the state records the daemon's default driver) and `log_opts` is
    // Optional; both ForceNew: a first `docker.logs` (or any later edit of it) recreates every container once.
    // DeleteBeforeReplace: pulumi/pulumi-docker @ v5.1.0, provider/resources.go (ResourceInfo of docker_container).
    onReplace:
      "The old container is stopped and removed first, then a new one is created (the bridge sets DeleteBeforeReplace on docker_container, so the fixed container name never clashes): clients lose their connections until its healthcheck passes; the data lives on the named docker:index/volume:Volume, a separate resource this does not touch, so it survives",
    stateDependent: [
      {
        path: field<docker.ContainerArgs>("healthcheck"),
        reason:
          "updates the state only: resourceDockerContainerUpdate does not apply a healthcheck, so the running container keeps the old one until it is replaced",
      },
    ],
    source: upstream("internal/provider/resource_docker_container.go", "resourceDockerContainer Schema (ForceNew)"),
  },
  {
    type: "docker:index/volume:Volume",
    forceNew: [...fields<docker.VolumeArgs>("name", "labels", "driver", "driverOpts", "cluster")],
    source: upstream("internal/provider/resource_docker_volume.go", "resourceDockerVolume Schema (ForceNew)"),
  },
  {
    type: "docker:index/network:Network",
    forceNew: [
      ...fields<docker.NetworkArgs>(
        "name",
        "labels",
        "driver",
        "options",
        "internal",
        "attachable",
        "ingress",
        "ipamDriver",
        "ipamOptions",
        "ipamConfigs",
      ),
    ],
    source: upstream("internal/provider/resource_docker_network.go", "resourceDockerNetwork Schema (ForceNew)"),
  },
  {
    type: "docker:index/remoteImage:RemoteImage",
    forceNew: [...fields<docker.RemoteImageArgs>("name", "pullTriggers", "triggers", "platform")],
    source: upstream("internal/provider/resource_docker_image.go", "resourceDockerImage Schema (ForceNew)"),
  },
];
