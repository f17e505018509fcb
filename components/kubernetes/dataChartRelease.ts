import * as k8s from "../sdk/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { statefulResourceOptions } from "../contract";
import { helmChartArgs, type KubernetesPlatform } from "../platform";
import type { ChartSource } from "../settingsCommon";

export interface DataChartReleaseArgs {
  readonly platform: KubernetesPlatform;
  readonly releaseName: string;
  readonly chart: ChartSource;
  readonly values: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** What the chart's pods need before they start (their credentials Secret). */
  readonly dependsOn: pulumi.Resource[];
  readonly parent: pulumi.Resource;
}

/**
 * A Helm release of a data server (valkey, nats): its StatefulSet claims hold the data, so it carries the stack's
 * protect/retainOnDelete. Install or upgrade completes only when the pods are ready; a failed upgrade rolls back.
 */
export function dataChartRelease(name: string, args: DataChartReleaseArgs): k8s.helm.v3.Release {
  const { platform } = args;
  return new k8s.helm.v3.Release(
    name,
    {
      name: args.releaseName,
      namespace: platform.namespace,
      ...helmChartArgs(args.chart),
      values: args.values,
      atomic: true,
      timeout: 600,
    },
    {
      parent: args.parent,
      provider: platform.provider,
      dependsOn: args.dependsOn,
      ...statefulResourceOptions(platform.stateful),
    },
  );
}
