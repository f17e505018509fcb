import type * as random from "@pulumi/random";
import { fields } from "../fields";
import type { ReplacementRule, UpstreamSource } from "../types";

/**
 * hashicorp/terraform-provider-random v3.9.0: pulumi-random's provider/go.mod requires the pseudo-version
 * v1.3.2-0.20260513075824-f8d869dc98d9, and f8d869dc98d9 is the v3.9.0 tag.
 */
const upstream = (file: string, symbol: string): UpstreamSource => ({
  repository: "hashicorp/terraform-provider-random",
  ref: "v3.9.0",
  file,
  symbol,
  note: "required by pulumi/pulumi-random v4.21.1 provider/go.mod (installed @pulumi/random 4.21.2)",
});

// Every user input has a RequiresReplace plan modifier (keepers: RequiresReplaceIfValuesNotNull), so a changed
// input is a new random value: a rotation.
const randomInputs = [
  "keepers",
  "length",
  "special",
  "upper",
  "lower",
  "number",
  "numeric",
  "minNumeric",
  "minUpper",
  "minLower",
  "minSpecial",
  "overrideSpecial",
] as const;

export const RANDOM_RULES: readonly ReplacementRule[] = [
  {
    type: "random:index/randomPassword:RandomPassword",
    forceNew: fields<random.RandomPasswordArgs>(...randomInputs),
    source: upstream("internal/provider/resource_password.go", "passwordSchemaV3 (RequiresReplace)"),
  },
  {
    type: "random:index/randomString:RandomString",
    forceNew: fields<random.RandomStringArgs>(...randomInputs),
    source: upstream("internal/provider/resource_string.go", "stringSchemaV3 (RequiresReplace)"),
  },
];
