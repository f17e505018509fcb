import type { ReplacementRule } from "../types";

/**
 * Provider resources. A changed provider configuration is an update of the provider; whether its resources are
 * replaced is the provider's DiffConfig decision, which needs the state. The rule says exactly that.
 */
export const PROVIDER_RULES: readonly ReplacementRule[] = [
  "pulumi:providers:aws",
  "pulumi:providers:docker",
  "pulumi:providers:kubernetes",
  "pulumi:providers:postgresql",
  "pulumi:providers:random",
  "pulumi:providers:command",
].map((type) => ({
  type,
  forceNew: [],
  stateDependent: [
    {
      path: "",
      reason:
        "a provider configuration change may replace every resource of that provider (its DiffConfig decides, e.g. a new region, cluster or host); check `pulumi preview`",
    },
  ],
  source: {
    repository: "pulumi/pulumi",
    ref: "v3.248.0",
    file: "pkg/resource/deploy/step_generator.go",
    symbol: "provider DiffConfig: replacement of a provider replaces its resources",
    note: "engine behaviour as documented for providers; not re-read in a snapshot here",
  },
}));
