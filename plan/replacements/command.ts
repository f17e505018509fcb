import type * as command from "@pulumi/command";
import { fields } from "../fields";
import type { ReplacementRule, UpstreamSource } from "../types";

/** pulumi/pulumi-command v1.2.1 (the installed @pulumi/command), a native provider. */
const upstream = (file: string, symbol: string): UpstreamSource => ({
  repository: "pulumi/pulumi-command",
  ref: "v1.2.1",
  file,
  symbol,
});

export const COMMAND_RULES: readonly ReplacementRule[] = [
  {
    type: "command:local:Command",
    // Only `triggers` carries provider:"replaceOnChanges". Any other change is an update, which runs `update`
    // (or `create` when `update` is unset) again: Command.Update.
    forceNew: fields<command.local.CommandArgs>("triggers"),
    source: upstream("provider/pkg/provider/common/inputs.go", 'ResourceInputs.Triggers provider:"replaceOnChanges"'),
  },
  {
    type: "command:remote:Command",
    forceNew: fields<command.remote.CommandArgs>("triggers"),
    source: upstream("provider/pkg/provider/common/inputs.go", 'ResourceInputs.Triggers provider:"replaceOnChanges"'),
  },
];
