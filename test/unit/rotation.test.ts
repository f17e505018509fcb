import { describe, expect, it } from "vitest";
import {
  credentialFingerprint,
  ROTATION_TOKEN_PATTERN,
  rotationKeepers,
  rotationToken,
  unknownRotationIds,
} from "../../components/rotation";

/** The pure parts of rotation: keepers, token lookup, fingerprints that trigger restarts without revealing anything. */
describe("rotation", () => {
  it("sets keepers only when a token is given, so stacks that never rotate keep their credentials", () => {
    expect(rotationKeepers(undefined)).toEqual({});
    expect(rotationKeepers("2026-12-01")).toEqual({ keepers: { rotation: "2026-12-01" } });
    expect(rotationToken({ "postgres.admin": "a" }, "postgres.admin")).toBe("a");
    expect(rotationToken({ "postgres.admin": "a" }, "toString")).toBeUndefined();
    expect(unknownRotationIds({ "postgres.admin": "a", "nats.admin": "b" }, ["postgres.admin"])).toEqual([
      "nats.admin",
    ]);
  });

  it("accepts short tokens safe anywhere, nothing else", () => {
    for (const ok of ["1", "2026-12-01", "r2.after_incident-7"]) expect(ROTATION_TOKEN_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ["", "-x", "a b", "$(id)", "x'", "a".repeat(41)]) {
      expect(ROTATION_TOKEN_PATTERN.test(bad), bad).toBe(false);
    }
  });

  it("fingerprints credentials: changes with any value, ignores order, contains none of them", () => {
    const base = { admin: "fake-password-aaaa", app: "fake-password-bbbb" };
    const fingerprint = credentialFingerprint(base);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(credentialFingerprint({ app: base.app, admin: base.admin })).toBe(fingerprint);
    expect(credentialFingerprint({ ...base, app: "fake-password-cccc" })).not.toBe(fingerprint);
    expect(credentialFingerprint({ ...base, other: "x" })).not.toBe(fingerprint);
    expect(fingerprint).not.toContain("fake-password");
  });
});
