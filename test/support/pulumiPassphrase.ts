import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";

/**
 * Pulumi's passphrase secrets provider, as the CLI implements it (pkg/secrets/passphrase): a key derived with
 * PBKDF2-SHA256 (1,000,000 rounds) from the passphrase and the stack file's 8-byte salt, and AES-256-GCM with a
 * 12-byte nonce per value. `encryptionsalt` is `v1:<salt>:v1:<nonce>:<ciphertext>` of the word "pulumi" (so a wrong
 * passphrase is caught), each `secure:` value `v1:<nonce>:<ciphertext>`, all base64. Tests use it to prove the
 * example stacks' secure values are real entries; the CLI is not installable here.
 */

const ROUNDS = 1_000_000;
const KEY_BYTES = 32;
const SALT_BYTES = 8;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const VERIFICATION_PLAINTEXT = "pulumi";

function deriveKey(passphrase: string, salt: Buffer): Buffer {
  return pbkdf2Sync(passphrase, salt, ROUNDS, KEY_BYTES, "sha256");
}

export function encryptValue(key: Buffer, plaintext: string, nonce: Buffer = randomBytes(NONCE_BYTES)): string {
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

export function decryptValue(key: Buffer, value: string): string {
  const parts = value.split(":");
  if (parts.length !== 3 || parts[0] !== "v1") throw new Error(`not a v1 secure value: ${value.slice(0, 12)}…`);
  const nonce = Buffer.from(parts[1], "base64");
  const sealed = Buffer.from(parts[2], "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString(
    "utf8",
  );
}

/** A fresh `encryptionsalt` for a passphrase, and the key it yields. */
export function newEncryptionSalt(passphrase: string): { encryptionsalt: string; key: Buffer } {
  const salt = randomBytes(SALT_BYTES);
  const key = deriveKey(passphrase, salt);
  return { encryptionsalt: `v1:${salt.toString("base64")}:${encryptValue(key, VERIFICATION_PLAINTEXT)}`, key };
}

/** The key for a stack file's `encryptionsalt`; throws when the passphrase is not the one it was made with. */
export function keyFromEncryptionSalt(passphrase: string, encryptionsalt: string): Buffer {
  const match = /^v1:([^:]+):(v1:[^:]+:[^:]+)$/.exec(encryptionsalt);
  if (!match) throw new Error("encryptionsalt is not in Pulumi's v1 format");
  const key = deriveKey(passphrase, Buffer.from(match[1], "base64"));
  let check: string;
  try {
    check = decryptValue(key, match[2]);
  } catch {
    throw new Error("incorrect passphrase");
  }
  if (check !== VERIFICATION_PLAINTEXT) throw new Error("incorrect passphrase");
  return key;
}
