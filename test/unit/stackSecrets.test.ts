import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseStackConfig } from "../../profiles/config";
import { isSecretFieldName } from "../../profiles/secrets";
import { exampleStacks, isSecure, PROJECT_ROOT, readStackConfig, SECRET_PLACEHOLDER } from "../../plan/stackFiles";
import { decryptValue, encryptValue, keyFromEncryptionSalt, newEncryptionSalt } from "../support/pulumiPassphrase";

/**
 * Secure values in the example stacks must be real `secure:` entries that Pulumi can decrypt, never plaintext and
 * never opaque strings that only look encrypted. Each stack with secure values documents its example passphrase.
 */
const EXAMPLE_PASSPHRASES: Readonly<Record<string, string>> = { external: "stellaops-external-example" };

interface Leaf {
  path: string[];
  value: unknown;
}

function leaves(value: unknown, path: string[] = []): Leaf[] {
  if (value === null || typeof value !== "object" || Array.isArray(value) || isSecure(value)) return [{ path, value }];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
}

function stackFile(stack: string): { text: string; yaml: Record<string, unknown> } {
  const text = readFileSync(join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8");
  return { text, yaml: parse(text) as Record<string, unknown> };
}

describe("Pulumi passphrase encryption (as the CLI does it)", () => {
  it("round-trips a value and refuses a wrong passphrase", () => {
    const { encryptionsalt, key } = newEncryptionSalt("right passphrase");
    expect(decryptValue(key, encryptValue(key, "s3cret-value"))).toBe("s3cret-value");
    expect(keyFromEncryptionSalt("right passphrase", encryptionsalt).equals(key)).toBe(true);
    expect(() => keyFromEncryptionSalt("wrong passphrase", encryptionsalt)).toThrow("incorrect passphrase");
  });
});

describe.each(exampleStacks())("example stack %s", (stack) => {
  const { text, yaml } = stackFile(stack);
  const config = (yaml["config"] ?? {}) as Record<string, unknown>;
  const all = Object.entries(config).flatMap(([key, value]) => leaves(value, [key]));
  const secure = all.filter((l) => isSecure(l.value));

  it("holds no secret-named value in plaintext", () => {
    const plaintext = all.filter((l) => isSecretFieldName(l.path[l.path.length - 1]) && !isSecure(l.value));
    expect(plaintext.map((l) => l.path.join("."))).toEqual([]);
  });

  // Registered only for stacks that have secure values (a skip would read as a gap in the report).
  if (secure.length === 0) return;
  it("has secure values that decrypt with its documented passphrase and load", () => {
    const passphrase = EXAMPLE_PASSPHRASES[stack];
    expect(passphrase, `document the example passphrase of Pulumi.${stack}.yaml in this test`).toBeDefined();
    expect(text).toContain(passphrase);
    const key = keyFromEncryptionSalt(passphrase, String(yaml["encryptionsalt"]));
    const { config: raw, secretKeys } = readStackConfig(stack, PROJECT_ROOT, (ciphertext) =>
      decryptValue(key, ciphertext),
    );

    const values = secure.map((l) => decryptValue(key, (l.value as { secure: string }).secure));
    for (const value of values) {
      expect(value).not.toBe(SECRET_PLACEHOLDER);
      expect(value.length).toBeGreaterThanOrEqual(16);
    }
    expect(new Set(values).size).toBe(values.length);
    // The decrypted values satisfy the config schema, passed as secrets the way the CLI passes them.
    expect(() => parseStackConfig(raw, stack, (k) => secretKeys.includes(k))).not.toThrow();
  });
});
