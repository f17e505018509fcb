import { describe, expect, it } from "vitest";
import { CORE_SERVICE_IDS } from "../../components/catalog";
import {
  adminAclUser,
  APP_COMMAND_RULES,
  appAclUserProblems,
  appAclUsers,
  DISABLED_DEFAULT_USER,
  duplicateUserProblems,
  HEALTHCHECK_ACL_USER,
  operatorManagedUserProblems,
  serverAclUsers,
  type ValkeyServerKind,
} from "../../components/valkey/model";
import {
  chartPermissions,
  elastiCacheAccessString,
  renderAclFile,
  renderAclLine,
  sha256Hex,
} from "../../components/valkey/renderAcl";
import { SettingsError } from "../../components/settingsProblem";
import { valkeySettings } from "../../components/valkey/settings";

const shared = valkeySettings.parse({});
const perService = valkeySettings.parse({ aclMode: "per-service" });
const HASH = sha256Hex("correct horse battery staple");

describe("Valkey ACL model", () => {
  it("shared mode: one user for every service and Valkey-only consumer, all keys and channels, no dangerous commands", () => {
    const users = appAclUsers(shared);
    expect(users).toHaveLength(1);
    const [user] = users;
    expect(user.name).toBe("stellaops");
    expect(user.services).toEqual([...CORE_SERVICE_IDS, "gateway"]);
    expect(user.keyPatterns).toEqual(["*"]);
    expect(user.channelPatterns).toEqual(["*"]);
    expect(user.commandRules).toEqual([
      "+@all",
      "-@dangerous",
      "-@admin",
      "+info",
      "-script|flush",
      "-script|kill",
      "-script|debug",
      "-function|flush",
      "-function|delete",
      "-function|restore",
      "-function|kill",
    ]);
    // Every rule carries its reason (they are documented in docs/valkey.md).
    for (const rule of APP_COMMAND_RULES) expect(rule.why.length).toBeGreaterThan(10);
  });

  it("per-service mode: one user per active service, limited to the catalog's key and channel patterns", () => {
    const users = appAclUsers(perService, ["evidence-locker"]);
    expect(users.map((u) => u.name)).toEqual([
      ...CORE_SERVICE_IDS.map((id) => `stellaops-${id}`),
      "stellaops-evidence-locker",
      "stellaops-gateway",
    ]);
    const scanner = users.find((u) => u.name === "stellaops-scanner")!;
    expect(scanner.services).toEqual(["scanner"]);
    expect(scanner.keyPatterns).toEqual(["scanner:*", "scanner.*"]);
    expect(scanner.channelPatterns).toEqual(["scanner:*", "scanner.*"]);
    expect(scanner.keyPatterns.some((p) => p === "*")).toBe(false);
  });

  it("per-service extras: read-write, read-only and channel patterns land on the named service only", () => {
    const settings = valkeySettings.parse({
      aclMode: "per-service",
      extraKeyPatterns: { notify: ["scanner.event.*"] },
      extraReadKeyPatterns: { policy: ["scanner:jobs:dead"] },
      extraChannelPatterns: { notify: ["scanner.events"] },
    });
    const users = appAclUsers(settings);
    const notify = users.find((u) => u.name === "stellaops-notify")!;
    const policy = users.find((u) => u.name === "stellaops-policy")!;
    expect(notify.keyPatterns).toContain("scanner.event.*");
    expect(notify.channelPatterns).toContain("scanner.events");
    expect(renderAclLine(policy, HASH)).toContain("%R~scanner:jobs:dead");
    expect(users.find((u) => u.name === "stellaops-scanner")!.keyPatterns).not.toContain("scanner:jobs:dead");
  });

  it("collapses patterns to * when an extra grants everything (Valkey refuses a pattern after *)", () => {
    const settings = valkeySettings.parse({ aclMode: "per-service", extraReadKeyPatterns: { policy: ["*", "x"] } });
    const policy = appAclUsers(settings).find((u) => u.name === "stellaops-policy")!;
    expect(policy.readKeyPatterns).toEqual(["*"]);
  });

  it("rejects extras in shared mode and extras for a service that is not enabled, saying what is allowed", () => {
    expect(() => appAclUsers(valkeySettings.parse({ extraKeyPatterns: { notify: ["x:*"] } }))).toThrow(
      /applies only with valkey.aclMode "per-service"/,
    );
    const optionalOff = valkeySettings.parse({ aclMode: "per-service", extraKeyPatterns: { graph: ["x:*"] } });
    expect(() => appAclUsers(optionalOff)).toThrow(/not enabled in this deployment: graph; enabled: authority/);
    expect(() => valkeySettings.parse({ extraKeyPatterns: { nosuch: ["x"] } })).toThrow(
      /unknown service \\"nosuch\\"; allowed: authority/,
    );
    expect(() => valkeySettings.parse({ extraKeyPatterns: { notify: ["a b"] } })).toThrow(
      /at most 256 characters from/,
    );
  });

  it("refuses every pattern that could break out of an ACL rule or the chart's /bin/sh init script", () => {
    // Each would run a command, split the rule, or (dash's echo turns \\n into a newline) add an ACL user.
    const attacks = [
      "$(id)",
      "`id`",
      "a;b",
      'a"b',
      "a'b",
      "a\\nuser x on nopass ~*",
      "a\nb",
      "a b",
      "a|b",
      "a&b",
      "#x",
    ];
    for (const key of ["extraKeyPatterns", "extraReadKeyPatterns", "extraChannelPatterns"]) {
      for (const pattern of attacks) {
        const parsed = valkeySettings.safeParse({ aclMode: "per-service", [key]: { notify: [pattern] } });
        expect(parsed.success, `${key}: ${JSON.stringify(pattern)}`).toBe(false);
      }
    }
    const globs = ["scanner.event.*", "tenant:{a}:*", "x[a-z]?", "q[^0]/k@v=1+2"];
    expect(valkeySettings.safeParse({ aclMode: "per-service", extraKeyPatterns: { notify: globs } }).success).toBe(
      true,
    );
  });

  it("renders passwords as SHA-256 hashes only, and the default user off with no password (never nopass)", () => {
    const admin = adminAclUser("stellaops-admin");
    const file = renderAclFile([
      { user: admin, passwordSha256: HASH },
      { user: HEALTHCHECK_ACL_USER, passwordSha256: HASH },
      ...appAclUsers(shared).map((user) => ({ user, passwordSha256: HASH })),
    ]);
    const lines = file.trimEnd().split("\n");
    expect(lines[0]).toBe("user default off resetpass resetkeys resetchannels -@all");
    // nopass on the default user would also switch protected mode on and refuse every remote client.
    expect(file).not.toMatch(/nopass/);
    expect(lines[1]).toBe(`user stellaops-admin on #${HASH} resetkeys ~* resetchannels &* +@all`);
    expect(lines[2]).toBe(`user healthcheck on #${HASH} resetkeys resetchannels -@all +ping`);
    expect(lines[3]).toBe(
      `user stellaops on #${HASH} resetkeys ~* resetchannels &* +@all -@dangerous -@admin +info -script|flush -script|kill -script|debug -function|flush -function|delete -function|restore -function|kill`,
    );
    expect(file).not.toContain("correct horse");
    expect(file).not.toMatch(/ >/); // `>password` is the plaintext form
  });

  it("refuses to render an enabled user without a hash, and two users with one name", () => {
    expect(() => renderAclLine(adminAclUser("a"))).toThrow(/needs the SHA-256 hex hash/);
    expect(() => renderAclLine(adminAclUser("a"), "plaintext-password")).toThrow(/needs the SHA-256 hex hash/);
    expect(() =>
      renderAclFile([
        { user: adminAclUser("stellaops"), passwordSha256: HASH },
        ...appAclUsers(shared).map((user) => ({ user, passwordSha256: HASH })),
      ]),
    ).toThrow(/two Valkey ACL users are named "stellaops"/);
    expect(() => valkeySettings.parse({ appUser: "default" })).toThrow(/reserved/);
  });

  it("renders ElastiCache access strings from the same model, without names, passwords or reset tokens", () => {
    const [app] = appAclUsers(shared);
    expect(elastiCacheAccessString(app)).toBe(
      "on ~* &* +@all -@dangerous -@admin +info -script|flush -script|kill -script|debug -function|flush -function|delete -function|restore -function|kill",
    );
    expect(elastiCacheAccessString(DISABLED_DEFAULT_USER)).toBe("off -@all");
    const scanner = appAclUsers(perService).find((u) => u.name === "stellaops-scanner")!;
    expect(elastiCacheAccessString(scanner)).toMatch(/^on ~scanner:\* ~scanner\.\* &scanner:\* &scanner\.\* \+@all/);
  });

  it("renders the chart's permission strings so the default user ends up off without a password", () => {
    expect(chartPermissions(DISABLED_DEFAULT_USER)).toBe("off resetpass resetkeys resetchannels -@all");
    expect(chartPermissions(adminAclUser("stellaops-admin"))).toBe("resetkeys ~* resetchannels &* +@all");
  });
});

describe("Valkey ACL problems", () => {
  it("reports every extras problem with its key, not just the first, and the thrown error lists them all", () => {
    const settings = valkeySettings.parse({
      extraKeyPatterns: { notify: ["x:*"] },
      extraChannelPatterns: { scanner: ["y.*"] },
    });
    expect(appAclUserProblems(settings)).toEqual([
      {
        path: ["extraKeyPatterns"],
        message: 'applies only with valkey.aclMode "per-service" (the shared user has every key)',
      },
      {
        path: ["extraChannelPatterns"],
        message: 'applies only with valkey.aclMode "per-service" (the shared user has every key)',
      },
    ]);
    let thrown: unknown;
    try {
      appAclUsers(settings);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    expect((thrown as SettingsError).message.split("\n")).toEqual([
      'valkey.extraKeyPatterns: applies only with valkey.aclMode "per-service" (the shared user has every key)',
      'valkey.extraChannelPatterns: applies only with valkey.aclMode "per-service" (the shared user has every key)',
    ]);
    const inactive = valkeySettings.parse({ aclMode: "per-service", extraReadKeyPatterns: { graph: ["x"] } });
    expect(appAclUserProblems(inactive)).toEqual([
      {
        path: ["extraReadKeyPatterns"],
        message: expect.stringMatching(
          /^names service\(s\) not enabled in this deployment: graph; enabled: authority,/,
        ),
      },
    ]);
    expect(appAclUserProblems(inactive, ["graph"])).toEqual([]);
  });

  it("refuses an operator-managed application user in per-service mode only", () => {
    expect(operatorManagedUserProblems(perService, true)).toEqual([
      {
        path: ["external", "valkey", "appPassword"],
        message:
          'an operator-managed application user works with valkey.aclMode "shared" only; remove it to let this program generate per-service users, or set valkey.aclMode "shared"',
      },
    ]);
    expect(operatorManagedUserProblems(shared, true)).toEqual([]);
    expect(operatorManagedUserProblems(perService, false)).toEqual([]);
  });

  it("lists the users each platform's server adds itself, the default user always disabled", () => {
    const names = (server: ValkeyServerKind) => serverAclUsers(server, "ops").map((u) => `${u.name}:${u.role}`);
    expect(names({ platform: "docker" })).toEqual(["default:default", "ops:admin", "healthcheck:healthcheck"]);
    expect(names({ platform: "kubernetes", replicas: 0 })).toEqual(["default:default", "ops:admin"]);
    expect(names({ platform: "kubernetes", replicas: 2 })).toEqual([
      "default:default",
      "ops:admin",
      "replication:replication",
    ]);
    expect(names({ platform: "aws" })).toEqual(["default:default", "ops:admin"]);
    expect(names({ platform: "external" })).toEqual([]);
    for (const server of [{ platform: "docker" }, { platform: "aws" }] as const) {
      expect(serverAclUsers(server, "ops")[0]).toEqual(DISABLED_DEFAULT_USER);
    }
  });

  it("names the real clash: a fixed user of the platform, the admin user, or a per-service user", () => {
    const docker = (admin: string, settings = shared) => [
      ...serverAclUsers({ platform: "docker" }, admin),
      ...appAclUsers(settings),
    ];
    expect(duplicateUserProblems(docker("stellaops-admin", valkeySettings.parse({ appUser: "healthcheck" })))).toEqual([
      {
        path: ["appUser"],
        message: '"healthcheck" is the name of the Docker healthcheck user; choose another',
      },
    ]);
    expect(duplicateUserProblems(docker("healthcheck"))).toEqual([
      {
        path: ["adminUser"],
        message: '"healthcheck" is the name of the Docker healthcheck user; choose another',
      },
    ]);
    const kubernetes = [
      ...serverAclUsers({ platform: "kubernetes", replicas: 1 }, "replication"),
      ...appAclUsers(valkeySettings.parse({ appUser: "replication" })),
    ];
    expect(duplicateUserProblems(kubernetes)).toEqual([
      {
        path: ["adminUser"],
        message: '"replication" is the name of the user the Kubernetes replicas replicate with; choose another',
      },
    ]);
    expect(duplicateUserProblems(docker("stellaops"))).toEqual([
      {
        path: ["appUser"],
        message: 'two Valkey ACL users are named "stellaops": valkey.appUser and valkey.adminUser must differ',
      },
    ]);
    expect(duplicateUserProblems(docker("stellaops-scanner", perService))).toEqual([
      {
        path: ["appUser"],
        message:
          'two Valkey ACL users are named "stellaops-scanner": scanner\'s per-service user (valkey.appUser "stellaops" + "-scanner") and valkey.adminUser must differ',
      },
    ]);
    expect(duplicateUserProblems(docker("stellaops-admin"))).toEqual([]);
  });
});
