/**
 * Preloaded right after tsx by Pulumi.yaml's `nodeargs` and by the command scripts in package.json. tsx turns Node's
 * source maps on, and Node then reads and parses, as each module loads, the .map file it names: about a thousand
 * files in node_modules, a tenth of a start. Nothing uses them: under the language host, source-map-support (which
 * @pulumi/pulumi/cmd/run installs) formats stack traces by itself, and the command scripts print messages, not
 * traces. STELLAOPS_PLAN_STACK_TRACES=1, which keeps the offline plan's traces for debugging, keeps them on too.
 */
if (process.env["STELLAOPS_PLAN_STACK_TRACES"] !== "1") process.setSourceMapsEnabled(false);
