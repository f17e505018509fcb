import { z } from "zod";

/**
 * Zod building blocks shared by the per-service settings schemas. Pure: no Pulumi.
 * Every error message says what is allowed, because it is shown to an operator next to the config key.
 */

export const port = z
  .number({ error: "must be a TCP port number (1-65535)" })
  .int({ error: "must be a whole TCP port number (1-65535)" })
  .min(1, { error: "must be a TCP port number (1-65535)" })
  .max(65535, { error: "must be a TCP port number (1-65535)" });

/** A dotted version like 18, 18.1 or 9.0.1. */
export const version = z
  .string({ error: 'must be a version string such as "18.1"' })
  .regex(/^\d+(\.\d+){0,2}$/, { error: 'must be a version such as "18", "18.1" or "9.0.1" (digits and dots only)' });

/** Major version of a dotted version string. */
export function majorOf(v: string): number {
  return Number(v.split(".")[0]);
}

/**
 * A container image reference. Whether a tag is acceptable or a digest is required is a stack-level
 * rule (air-gapped stacks require `@sha256:` digests from the mirror), enforced in profiles/config.ts.
 */
export const imageRef = z
  .string({ error: "must be an image reference such as registry.local/postgres@sha256:<64 hex>" })
  .regex(/^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9])?(@sha256:[a-f0-9]{64})?$/, {
    error: "must be an image reference: [registry/]repository[:tag][@sha256:<64 hex digits>], lowercase",
  });

export const DIGEST_PATTERN = /@sha256:[a-f0-9]{64}$/;

/** Secret strings: fields with these names must come from `pulumi config set --secret` (checked by loadConfig). */
export const secretString = z.string({ error: "must be a string (set it with `pulumi config set --secret`)" }).min(1, {
  error: "must not be empty",
});

/** Memory sizes in Valkey/Kubernetes style: 512mb, 2gb, 1Gi. */
export const memorySize = z
  .string({ error: 'must be a size such as "512mb" or "2gb"' })
  .regex(/^\d+(b|kb|mb|gb|k|m|g)$/i, { error: 'must be a size such as "512mb" or "2gb" (bytes, kb, mb or gb)' });

/** Kubernetes storage quantities: 10Gi, 500Mi. */
export const storageQuantity = z
  .string({ error: 'must be a Kubernetes quantity such as "10Gi"' })
  .regex(/^\d+(Ki|Mi|Gi|Ti)$/, { error: 'must be a Kubernetes quantity such as "10Gi" or "500Mi"' });

/**
 * Where a Helm chart comes from, so air-gapped clusters work: a repository URL, an `oci://` mirror,
 * or a vendored `.tgz` file path. Exactly one of repository or path.
 */
export const chartSource = z
  .strictObject({
    /**
     * `https://…` repository or `oci://registry/path` (then chart is appended by Helm). Helm fetches it (no shell);
     * anything else would fail only when `pulumi up` installs the release.
     */
    repository: z
      .string()
      .regex(/^(https?|oci):\/\/[^\s\p{Cc}]+$/u, {
        error: "must be an https:// (or http://) chart repository URL or an oci:// registry path",
      })
      .optional(),
    /** Chart name within the repository. */
    chart: z.string().min(1),
    /** Exact chart version (no ranges: previews must be reproducible). */
    version: z.string().regex(/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, {
      error: 'must be an exact chart version such as "0.7.0" (no ranges)',
    }),
    /** A vendored chart archive (path relative to the project), used instead of repository. */
    path: z.string().optional(),
  })
  .refine((c) => (c.repository === undefined) !== (c.path === undefined), {
    error: "set exactly one of repository (https:// or oci://) or path (a vendored .tgz)",
  });
export type ChartSource = z.infer<typeof chartSource>;

/**
 * Kubernetes object names, by the API server's own rules (k8s.io/apimachinery validation): a DNS label
 * (namespaces, Services, release names: lowercase alphanumerics and '-', at most 63, alphanumeric at both ends) and a
 * DNS subdomain (Secrets, storage classes: labels joined by '.', at most 253).
 */
export const kubernetesLabelName = (max = 63) =>
  z
    .string({ error: `must be a Kubernetes name (a DNS label of at most ${max} characters)` })
    .regex(new RegExp(`^(?=.{1,${max}}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$`), {
      error: `must be a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${max} characters`,
    });

const DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
export const kubernetesObjectName = z
  .string({ error: "must be a Kubernetes object name such as my-secret" })
  .regex(new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(\\.${DNS_LABEL})*$`), {
    error:
      "must be a Kubernetes object name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters",
  });

const LABEL_NAME = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^((?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const LABEL_PREFIX = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(\\.${DNS_LABEL})*$`);

/** Why a string is not a Kubernetes label key (`[prefix/]name`), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && !LABEL_PREFIX.test(prefix)) {
    return "label key prefix must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)";
  }
  if (!LABEL_NAME.test(name)) {
    return "label key name must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  return LABEL_VALUE.test(value)
    ? undefined
    : "label value must be empty or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
}

/** `{ key: value }` Kubernetes labels, every key and value checked, each problem at its key. */
export const kubernetesLabels = z
  .record(z.string(), z.string({ error: "must be a string label value" }))
  .superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      const problem = labelKeyProblem(key) ?? labelValueProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: [key] });
    }
  })
  .default({});

/**
 * The items of a list must be distinct: each becomes a resource named after it (an ingress rule per CIDR, an
 * extension per name), and two resources with one name are one URN twice, which the engine refuses.
 */
export function distinctItems<T extends z.ZodType>(item: T, identity: (value: z.infer<T>) => string = String) {
  return z.array(item).superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((value: z.infer<T>, i) => {
      const id = identity(value);
      if (seen.has(id)) ctx.addIssue({ code: "custom", message: `"${id}" is listed twice; list each once`, path: [i] });
      seen.add(id);
    });
  });
}

/** Minutes since the start of the day (`hh:mm`), or of the week (`ddd:hh:mm`, Monday first); undefined when invalid. */
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
function clockMinutes(text: string): number | undefined {
  const m = /^(?:([a-z]{3}):)?([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) return undefined;
  const day = m[1] === undefined ? 0 : DAYS.indexOf(m[1]);
  return day < 0 ? undefined : day * 1440 + Number(m[2]) * 60 + Number(m[3]);
}

/**
 * An AWS time window in UTC as RDS and ElastiCache take it: daily `hh:mm-hh:mm` or weekly `ddd:hh:mm-ddd:hh:mm`,
 * real times (00:00-23:59, mon-sun) and at least `minMinutes` long (the services refuse shorter windows).
 */
export function awsWindow(kind: "daily" | "weekly", minMinutes: number) {
  const example = kind === "daily" ? "03:00-04:00" : "sun:05:00-sun:06:00";
  const rule = `must be a UTC window "${kind === "daily" ? "hh:mm-hh:mm" : "ddd:hh:mm-ddd:hh:mm"}" of at least ${minMinutes} minutes with real times${kind === "weekly" ? " and days mon-sun" : ""}, e.g. "${example}"`;
  return z.string({ error: rule }).refine(
    (window) => {
      const parts = window.split("-");
      const weekly = kind === "weekly";
      if (parts.length !== 2 || parts.some((p) => (p.split(":").length === 3) !== weekly)) return false;
      const [start, end] = parts.map(clockMinutes);
      if (start === undefined || end === undefined) return false;
      const period = weekly ? 7 * 1440 : 1440;
      const length = (end - start + period) % period;
      return length >= minMinutes;
    },
    { error: rule },
  );
}

/**
 * AWS resource tags (IAM, RDS, ElastiCache, S3 accept the same): keys 1-128 and values 0-256 characters of letters,
 * digits, spaces and `_ . : / = + - @`, and no key under the reserved `aws:` prefix.
 */
const AWS_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const awsTags = z
  .record(z.string(), z.string({ error: "must be a string tag value" }))
  .superRefine((tags, ctx) => {
    for (const [key, value] of Object.entries(tags)) {
      const problem =
        key.length < 1 || key.length > 128 || !AWS_TAG_TEXT.test(key)
          ? "tag key must be 1-128 letters, digits, spaces or _ . : / = + - @"
          : /^aws:/i.test(key)
            ? 'tag keys starting with "aws:" are reserved for AWS'
            : value.length > 256 || !AWS_TAG_TEXT.test(value)
              ? "tag value must be at most 256 letters, digits, spaces or _ . : / = + - @"
              : undefined;
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: [key] });
    }
  })
  .default({});

/**
 * A directory on the Docker host, bind-mounted read-only into a container. The Docker provider joins it into a
 * `Binds` entry `<host path>:<container path>:ro` (kreuzwerker/terraform-provider-docker, volumeSetToDockerVolumes),
 * which the engine splits on ':' (and reads mode flags after it), so a ':' or ',' in the path would make another
 * mount spec or fail `pulumi up` at container create; whitespace and control characters are no path anyone means.
 */
export const dockerHostDirectory = (example: string) => {
  const absolute = `must be an absolute path on the Docker host, such as ${example}`;
  return z
    .string({ error: absolute })
    .regex(/^\//, { error: absolute })
    .refine((dir) => !dir.split("/").includes(".."), {
      error: `must not contain '..' segments: give the directory's absolute path, such as ${example}`,
    })
    .refine((dir) => /^[^\s:,\p{Cc}]*$/u.test(dir), {
      error: `must not contain ':', ',', whitespace or control characters (Docker's bind syntax separates fields with them), such as ${example}`,
    });
};
