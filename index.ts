import { loadConfig } from "./profiles/config";
import { deployStack } from "./profiles/deploy";

/**
 * StellaOps infrastructure for one stack. Pulumi calls the exported function; its result is the stack's outputs.
 * Everything is decided by the stack's config (Pulumi.<stack>.yaml): see README.md.
 */
export = async () => deployStack(loadConfig());
