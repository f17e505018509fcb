import type { PlanResource } from "../../plan/offlinePlan";

/** A synthetic offline-plan resource for tests of plan readers (diff, manifest, formats, policy): no options set. */
export function planResource(
  stack: string,
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  overrides: Partial<Omit<PlanResource, "options">> & { options?: Partial<PlanResource["options"]> } = {},
): PlanResource {
  const { options, ...fields } = overrides;
  return {
    urn: `urn:pulumi:${stack}::stellaops-infra::${type}::${name}`,
    type,
    name,
    custom: true,
    parent: null,
    provider: null,
    dependencies: [],
    inputs,
    ...fields,
    options: {
      protect: null,
      retainOnDelete: null,
      deleteBeforeReplace: null,
      ignoreChanges: [],
      replaceOnChanges: [],
      additionalSecretOutputs: [],
      deletedWith: null,
      customTimeouts: null,
      ...options,
    },
  };
}
