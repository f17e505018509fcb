import { createHash, createHmac, pbkdf2Sync } from "node:crypto";

/**
 * SCRAM-SHA-256 password verifiers in PostgreSQL's stored form (RFC 5802/7677, as `ALTER ROLE … PASSWORD` accepts).
 * Pure. The salt is derived from the role name and the password, so the same password always yields the same
 * verifier: re-running the layout script then leaves pg_authid untouched, and the server never sees (or logs)
 * the plaintext. The derived salt is still unique per role and password, which is what a salt is for.
 */

const ITERATIONS = 4096;

function hmac(key: Buffer, data: string | Buffer): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** PostgreSQL applies SASLprep; for printable ASCII that is the identity, so only such passwords are accepted. */
function assertPrintableAscii(password: string): void {
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw new Error("SCRAM verifiers are computed only for non-empty printable-ASCII passwords (no SASLprep here)");
  }
}

export function scramSha256Verifier(password: string, salt: Buffer, iterations = ITERATIONS): string {
  assertPrintableAscii(password);
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const storedKey = createHash("sha256").update(hmac(salted, "Client Key")).digest();
  const serverKey = hmac(salted, "Server Key");
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** The verifier with a salt derived from (role, password): stable across runs. */
export function stableScramVerifier(role: string, password: string): string {
  const salt = hmac(Buffer.from(password, "utf8"), `stellaops-infra scram salt for role ${role}`).subarray(0, 16);
  return scramSha256Verifier(password, salt);
}
