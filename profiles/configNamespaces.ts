import { CONFIG_NAMESPACE, type ConfigProblem } from "./configErrors";

/**
 * Config namespaces a stack file may use besides this program's own: Pulumi's and those of the providers the
 * program depends on. Any other namespace is a mistake (`stellaops:kubernetes` for `stellaops-infra:kubernetes`)
 * whose settings nothing would read, so it is reported instead of ignored.
 */
export const OTHER_CONFIG_NAMESPACES = ["pulumi", "aws", "kubernetes", "docker", "postgresql", "random", "command"];

export function configNamespaceProblems(raw: Readonly<Record<string, string>>): ConfigProblem[] {
  return Object.keys(raw).flatMap((fullKey) => {
    const separator = fullKey.indexOf(":");
    const namespace = separator < 0 ? "" : fullKey.slice(0, separator);
    if (namespace === CONFIG_NAMESPACE || OTHER_CONFIG_NAMESPACES.includes(namespace)) return [];
    const rest = fullKey.slice(separator + 1);
    const hint = /^stella/i.test(namespace) ? ` (did you mean ${CONFIG_NAMESPACE}:${rest}?)` : "";
    return [
      {
        key: fullKey,
        message: `unknown config namespace "${namespace}"${hint}: this program reads ${CONFIG_NAMESPACE}:<key>; allowed besides: ${OTHER_CONFIG_NAMESPACES.join(", ")}`,
      },
    ];
  });
}
