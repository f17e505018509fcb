import { BUCKET_ROLES, type BucketRole } from "../catalog";
import type { SettingsProblem } from "../settingsProblem";

/**
 * S3 bucket naming rules (general purpose buckets), checked before anything is created. Pure: no Pulumi.
 * AWS's list: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html. The dot-label rule
 * ('.-', '-.') is the DNS-compatibility rule MinIO-lineage servers such as RustFS also enforce.
 */

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;
/** The longest prefix that still leaves room for a 3-character name. */
export const MAX_BUCKET_PREFIX_LENGTH = 60;

/** Which rule a complete bucket name breaks, phrased as what is allowed; undefined when it is valid. */
export function bucketNameViolation(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return `must be 3 to 63 characters long (it has ${name.length})`;
  }
  if (!/^[a-z0-9.-]+$/.test(name)) return "may contain only lowercase letters, digits, hyphens (-) and dots (.)";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "must start and end with a lowercase letter or digit";
  if (name.includes("..")) return "must not contain two adjacent dots (..)";
  if (name.includes(".-") || name.includes("-.")) {
    return "each dot-separated part must start and end with a letter or digit (no '.-' or '-.')";
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be formatted as an IP address (such as 192.168.5.4)";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix "${prefix}"`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix "${suffix}"`;
  return undefined;
}

/** Which rule a bucket prefix breaks on its own (whatever name follows it); undefined when it is usable. */
export function bucketPrefixViolation(prefix: string): string | undefined {
  if (prefix === "") return undefined;
  if (prefix.length > MAX_BUCKET_PREFIX_LENGTH) {
    return `must be at most ${MAX_BUCKET_PREFIX_LENGTH} characters, so every bucket name stays within 63`;
  }
  if (!/^[a-z0-9.-]+$/.test(prefix)) return "may contain only lowercase letters, digits, hyphens (-) and dots (.)";
  if (!/^[a-z0-9]/.test(prefix)) return "must start with a lowercase letter or digit";
  if (prefix.includes("..")) return "must not contain two adjacent dots (..)";
  if (prefix.includes(".-") || prefix.includes("-.")) {
    return "each dot-separated part must start and end with a letter or digit (no '.-' or '-.')";
  }
  const reserved = RESERVED_PREFIXES.find((p) => prefix.startsWith(p));
  if (reserved) return `must not start with the reserved prefix "${reserved}"`;
  return undefined;
}

interface NamingInput {
  readonly bucketPrefix: string;
  readonly buckets: Readonly<Record<BucketRole, string>>;
}

/** The full bucket name per role: prefix + configured name. */
export function fullBucketNames(input: NamingInput): Record<BucketRole, string> {
  return Object.fromEntries(BUCKET_ROLES.map((role) => [role, input.bucketPrefix + input.buckets[role]])) as Record<
    BucketRole,
    string
  >;
}

/**
 * Every naming problem, with the config path it belongs to: a bad prefix once (not once per bucket), else each
 * bucket whose full name breaks a rule, and roles that would share one bucket.
 */
export function bucketNameProblems(input: NamingInput): SettingsProblem[] {
  const prefixProblem = bucketPrefixViolation(input.bucketPrefix);
  if (prefixProblem) return [{ path: ["bucketPrefix"], message: prefixProblem }];
  const names = fullBucketNames(input);
  const problems: SettingsProblem[] = [];
  const seen = new Map<string, BucketRole>();
  for (const role of BUCKET_ROLES) {
    const name = names[role];
    const violation = bucketNameViolation(name);
    if (violation) {
      const origin = input.bucketPrefix ? ` (bucketPrefix "${input.bucketPrefix}" + "${input.buckets[role]}")` : "";
      problems.push({ path: ["buckets", role], message: `bucket name "${name}"${origin} ${violation}` });
      continue;
    }
    const other = seen.get(name);
    if (other) {
      problems.push({
        path: ["buckets", role],
        message: `bucket name "${name}" is already used by buckets.${other}: each role needs its own bucket`,
      });
    }
    seen.set(name, role);
  }
  return problems;
}
