/**
 * Known-answer bcrypt fixtures for the NATS integration tests: test-only passwords and their bcrypt hashes
 * (cost 10, the `$2a$` form @pulumi/random's RandomPassword.bcryptHash produces), so the servers under test hold
 * hashes exactly like deployed ones while the tests know the passwords. Generated once with Python's
 * `crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024))` (prefix rewritten $2b$ → $2a$,
 * the same algorithm for passwords under 72 bytes). The server, not these tests, does the verification.
 */

export interface Credential {
  readonly password: string;
  readonly bcrypt: string;
}

export const FIXTURES = {
  stellaops: {
    password: "fixture-shared-password-7Qm2",
    bcrypt: "$2a$10$VG1ZRWYZxd2dIBXAb0eYHeRTSiOUwdo/s1i4VOVSgwzmLctrPUV/e",
  },
  scanner: {
    password: "fixture-scanner-password-7Qm2",
    bcrypt: "$2a$10$qpUpJhDMQ57mZrU88YcHiewFRDB3YzxXOkftDM.IpbJeW9oym8tfm",
  },
  scheduler: {
    password: "fixture-scheduler-password-7Qm2",
    bcrypt: "$2a$10$UcDA8fnPj7Y13T5NPRpZWe6m3sb.5lfnrFNoPkN6hjhIn1sNM1ZAe",
  },
  admin: {
    password: "fixture-admin-password-7Qm2",
    bcrypt: "$2a$10$fzWFhZ8Atv07YjrAFEjR2uzojFHOPio1F9e0.rGtbre8886QiCUki",
  },
  route: {
    password: "fixture-route-password-7Qm2",
    bcrypt: "$2a$10$Ku0ZHQ7j4jP04GXVvu1qgeticupzCrELAjMOBsaB8Ar3N0xIh8QKO",
  },
} as const satisfies Record<string, Credential>;

export function fixtureFor(user: string): Credential {
  const found = (FIXTURES as Record<string, Credential>)[user];
  if (!found) throw new Error(`no bcrypt fixture for NATS user "${user}"`);
  return found;
}
