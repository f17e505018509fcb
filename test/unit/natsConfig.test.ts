import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ADMIN_USER,
  isBcryptHash,
  natsAuthConfig,
  renderNatsServerConf,
  SYSTEM_ACCOUNT,
} from "../../components/nats/renderConf";
import { natsAppUserSpecs } from "../../components/nats/model";
import { confEnv, confRaw, confString, renderConfText, toChartMerge } from "../../components/nats/syntax";

const HASH_A = `$2a$10$${"A".repeat(53)}`;
const HASH_B = `$2a$10$${"b".repeat(22)}.${"c".repeat(30)}`;

/** Reads a double-quoted conf string back the way nats-server's lexer does (\\ \" \t \n \r). */
function unquote(quoted: string): string {
  expect(quoted.startsWith('"') && quoted.endsWith('"')).toBe(true);
  const body = quoted.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') throw new Error(`unescaped quote at ${i}`);
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[++i];
    const map: Record<string, string> = { "\\": "\\", '"': '"', t: "\t", n: "\n", r: "\r" };
    if (!(next in map)) throw new Error(`escape \\${next} that nats-server does not know`);
    out += map[next];
  }
  return out;
}

function serverConf(overrides: Partial<Parameters<typeof renderNatsServerConf>[0]> = {}): string {
  return renderNatsServerConf({
    listen: { host: "0.0.0.0", port: 4222 },
    monitor: { host: "127.0.0.1", port: 8222 },
    jetstream: { storeDir: "/data", maxFileStore: "8GB", maxMemoryStore: "256MB" },
    appAccount: "STELLAOPS",
    appUsers: [{ name: "stellaops", password: HASH_A }],
    systemUsers: [{ name: ADMIN_USER, password: HASH_B }],
    ...overrides,
  });
}

describe("conf string escaping", () => {
  it("escapes backslashes, quotes and line breaks, and keeps $ literal inside quotes", () => {
    expect(confString('a"b')).toBe('"a\\"b"');
    expect(confString("a\\b")).toBe('"a\\\\b"');
    expect(confString("line\nnext\r\tx")).toBe('"line\\nnext\\r\\tx"');
    expect(confString("$2a$10$x")).toBe('"$2a$10$x"');
    expect(confString("}; no_auth_user: x #")).toBe('"}; no_auth_user: x #"');
  });

  it("refuses control characters nats-server has no escape for", () => {
    expect(() => confString("bell\u0007")).toThrow(/control character U\+0007/);
    expect(() => confString("nul\u0000")).toThrow(/control character/);
  });

  it("round-trips any printable string through nats-server's escapes", () => {
    const printable = fc.string({
      unit: fc.constantFrom("a", "Z", "0", "$", '"', "\\", "\n", "\t", "\r", "}", "#", "é", " "),
    });
    fc.assert(
      fc.property(printable, (s) => {
        const quoted = confString(s);
        expect(quoted).not.toMatch(/[\n\r\t]/);
        expect(unquote(quoted)).toBe(s);
      }),
    );
  });

  it("writes only sizes and $VARIABLES unquoted", () => {
    expect(confRaw("8GB").raw).toBe("8GB");
    expect(confEnv("NATS_BCRYPT_ADMIN").raw).toBe("$NATS_BCRYPT_ADMIN");
    expect(() => confRaw("8GB\nno_auth_user: x")).toThrow(/cannot be written unquoted/);
    expect(() => confRaw("enabled")).toThrow(/cannot be written unquoted/);
    expect(() => confEnv("A B")).toThrow(/cannot be written unquoted/);
  });

  it("refuses keys that are not identifiers", () => {
    expect(() => renderConfText({ "bad key": 1 })).toThrow(/not a valid nats-server.conf key/);
    expect(() => renderConfText({ "x\nno_auth_user": 1 })).toThrow(/not a valid nats-server.conf key/);
  });
});

describe("nats-server.conf", () => {
  it("has JetStream limits, both accounts, the system account and no anonymous user", () => {
    const text = serverConf();
    expect(text).toContain('listen: "0.0.0.0:4222"');
    expect(text).toContain('http: "127.0.0.1:8222"');
    expect(text).toMatch(
      /jetstream: \{\n {2}store_dir: "\/data"\n {2}max_file_store: 8GB\n {2}max_memory_store: 256MB\n\}/,
    );
    expect(text).toMatch(/STELLAOPS: \{\n {4}jetstream: "enabled"/);
    expect(text).toContain(`${SYSTEM_ACCOUNT}: {`);
    expect(text).toContain('system_account: "SYS"');
    expect(text).not.toMatch(/no_auth_user|authorization/);
    expect(text).toContain(`password: "${HASH_A}"`);
  });

  it("leaves the monitoring endpoint out when no monitor is given", () => {
    expect(serverConf({ monitor: undefined })).not.toMatch(/^http/m);
  });

  it("writes per-service permissions as allow lists", () => {
    const users = natsAppUserSpecs({ userMode: "per-service", perServiceInboxes: true });
    const text = serverConf({
      appUsers: users.map((u) => ({ name: u.name, password: HASH_A, permissions: u.permissions })),
    });
    expect(text).toMatch(
      /user: "scanner"\n\s+password: "[^"]+"\n\s+permissions: \{\n\s+publish: \{\n\s+allow: \[\n\s+"scanner.jobs"/,
    );
    expect(text).toContain('"$JS.API.CONSUMER.MSG.NEXT.SCANNER_JOBS.>"');
    expect(text).toContain('"_INBOX.scheduler.>"');
  });

  it("refuses what would weaken authentication", () => {
    expect(() => serverConf({ appUsers: [] })).toThrow(/at least one user/);
    expect(() => serverConf({ appUsers: [{ name: "x", password: "" }] })).toThrow(/empty password/);
    expect(() => serverConf({ appUsers: [{ name: ADMIN_USER, password: HASH_A }] })).toThrow(/unique across accounts/);
    expect(() =>
      serverConf({
        appUsers: [
          { name: "x", password: HASH_A, permissions: { publish: { allow: [] }, subscribe: { allow: ["a"] } } },
        ],
      }),
    ).toThrow(/empty allow list would grant everything/);
    expect(() => serverConf({ appAccount: "SYS" })).toThrow(/cannot be SYS/);
    expect(() => serverConf({ jetstream: { storeDir: "/d", maxFileStore: "lots", maxMemoryStore: "1GB" } })).toThrow(
      /not a NATS size/,
    );
    expect(() => serverConf({ listen: { host: "0.0.0.0\nno_auth_user", port: 1 } })).toThrow(/not a listen address/);
  });

  it("recognises bcrypt hashes", () => {
    expect(isBcryptHash(HASH_A)).toBe(true);
    expect(isBcryptHash("$2b$12$" + "x".repeat(53))).toBe(true);
    expect(isBcryptHash("plain-password")).toBe(false);
    expect(isBcryptHash("$2a$10$short")).toBe(false);
  });
});

describe("chart form of the same configuration", () => {
  it("turns raw tokens into << >> strings and keeps everything else as JSON values", () => {
    const auth = natsAuthConfig({
      appAccount: "STELLAOPS",
      appUsers: [{ name: "stellaops", password: confEnv("NATS_BCRYPT_STELLAOPS") }],
      systemUsers: [{ name: ADMIN_USER, password: confEnv("NATS_BCRYPT_ADMIN") }],
    });
    expect(toChartMerge(auth)).toEqual({
      accounts: {
        STELLAOPS: { jetstream: "enabled", users: [{ user: "stellaops", password: "<< $NATS_BCRYPT_STELLAOPS >>" }] },
        SYS: { users: [{ user: "admin", password: "<< $NATS_BCRYPT_ADMIN >>" }] },
      },
      system_account: "SYS",
    });
  });

  it("refuses a string the chart would unquote", () => {
    expect(() => toChartMerge({ a: "<< $EVIL >>" })).toThrow(/would be unquoted by the nats chart/);
  });
});
