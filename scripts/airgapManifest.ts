// Entry point of `npm run airgap:manifest`; the command itself is scripts/commands/airgapManifest.ts.
import { airgapManifestCommand } from "./commands/airgapManifest";
import { runCli } from "./commands/command";

runCli("airgap:manifest", airgapManifestCommand);
