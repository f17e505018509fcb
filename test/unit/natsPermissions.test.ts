import { describe, expect, it } from "vitest";
import { SERVICES, type ServiceSpec } from "../../components/catalog";
import {
  isValidSubject,
  natsAppUserSpecs,
  natsServices,
  servicePermissions,
  streamApiPublishSubjects,
} from "../../components/nats/model";

/** NATS subject matching: `*` is one token, `>` one or more trailing tokens. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== "*" && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

function allowed(patterns: readonly string[], subject: string): boolean {
  return patterns.some((p) => matches(p, subject));
}

/** Every JetStream API subject a client sends about a stream (and its consumers), as nats-server defines them. */
function jsApiSubjectsFor(stream: string): string[] {
  const c = "workers";
  return [
    `$JS.API.STREAM.CREATE.${stream}`,
    `$JS.API.STREAM.UPDATE.${stream}`,
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.DELETE.${stream}`,
    `$JS.API.STREAM.PURGE.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.STREAM.MSG.DELETE.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.some.subject`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.${c}`,
    `$JS.API.CONSUMER.CREATE.${stream}.${c}.filter.subject`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${c}`,
    `$JS.API.CONSUMER.INFO.${stream}.${c}`,
    `$JS.API.CONSUMER.DELETE.${stream}.${c}`,
    `$JS.API.CONSUMER.NAMES.${stream}`,
    `$JS.API.CONSUMER.LIST.${stream}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${c}`,
    `$JS.ACK.${stream}.${c}.1.5.5.1700000000000000000.0`,
    `$JS.FC.${stream}.abc.1`,
  ];
}

const perService = natsAppUserSpecs({ userMode: "per-service", perServiceInboxes: true });
const byName = new Map(perService.map((u) => [u.name, u]));
const natsUsers = SERVICES.filter((s) => s.nats.streams.length > 0);

describe("NATS services from the catalog", () => {
  it("are the active services with subjects or streams", () => {
    expect(natsServices().map((s) => s.id)).toEqual(["scanner", "scheduler"]);
    expect(natsServices(["graph", "audit"]).map((s) => s.id)).toEqual(["scanner", "scheduler"]);
  });
});

describe("per-service permissions", () => {
  it("give each service exactly the JetStream API of its own streams", () => {
    for (const service of natsUsers) {
      const perms = byName.get(service.id)!.permissions!;
      for (const stream of service.nats.streams) {
        for (const subject of jsApiSubjectsFor(stream.name)) {
          expect(allowed(perms.publish.allow, subject), `${service.id} → ${subject}`).toBe(true);
        }
        for (const subject of stream.subjects) {
          expect(allowed(perms.publish.allow, subject)).toBe(true);
          expect(allowed(perms.subscribe.allow, subject)).toBe(true);
        }
      }
      expect(allowed(perms.publish.allow, "$JS.API.INFO")).toBe(true);
      expect(allowed(perms.subscribe.allow, `_INBOX.${service.id}.abc.1`)).toBe(true);
      expect(
        allowed(
          perms.subscribe.allow,
          `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${service.nats.streams[0].name}.workers`,
        ),
      ).toBe(true);
    }
  });

  it("never let a service touch another service's subjects, streams, consumers or replies", () => {
    for (const a of natsUsers) {
      const perms = byName.get(a.id)!.permissions!;
      for (const b of natsUsers.filter((x) => x.id !== a.id)) {
        const foreign = [
          ...b.nats.subjects.map((s) => s.replace(">", "x")),
          ...b.nats.streams.flatMap((s) => [...s.subjects, ...jsApiSubjectsFor(s.name)]),
        ];
        for (const subject of foreign) {
          expect(allowed(perms.publish.allow, subject), `${a.id} may publish ${subject}`).toBe(false);
          expect(allowed(perms.subscribe.allow, subject), `${a.id} may subscribe ${subject}`).toBe(false);
        }
        expect(allowed(perms.subscribe.allow, `_INBOX.${b.id}.abc.1`)).toBe(false);
        expect(
          allowed(perms.subscribe.allow, `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${b.nats.streams[0].name}.w`),
        ).toBe(false);
      }
    }
  });

  it("refuse account-wide and system subjects", () => {
    for (const user of perService) {
      const { publish, subscribe } = user.permissions!;
      for (const subject of [
        "$JS.API.STREAM.NAMES",
        "$JS.API.STREAM.LIST",
        "$JS.API.ACCOUNT.PURGE.STELLAOPS",
        "$JS.API.META.LEADER.STEPDOWN",
        "$JS.API.SERVER.REMOVE",
        "$SYS.REQ.ACCOUNT.PING.CONNZ",
        "$SYS.REQ.SERVER.PING",
        "_INBOX.abc",
        "anything.else",
      ]) {
        expect(allowed(publish.allow, subject), `${user.name} may publish ${subject}`).toBe(false);
      }
      expect(allowed(subscribe.allow, "_INBOX.abc.1")).toBe(false);
      expect(allowed(subscribe.allow, "$SYS.ACCOUNT.STELLAOPS.CONNECT")).toBe(false);
      expect(publish.allow.every(isValidSubject) && subscribe.allow.every(isValidSubject)).toBe(true);
    }
  });

  it("share the default inbox when per-service inboxes are off", () => {
    const users = natsAppUserSpecs({ userMode: "per-service", perServiceInboxes: false });
    for (const user of users) {
      expect(user.inboxPrefix).toBe("_INBOX");
      expect(user.permissions!.subscribe.allow).toContain("_INBOX.>");
    }
  });

  it("refuse catalog entries that would break the subject-token scoping", () => {
    const bad = (nats: ServiceSpec["nats"]): ServiceSpec => ({ ...SERVICES[0], id: "bad", nats });
    expect(() => servicePermissions(bad({ subjects: ["a..b"], streams: [] }), "_INBOX.bad")).toThrow(
      /not a valid application subject/,
    );
    expect(() => servicePermissions(bad({ subjects: ["$JS.API.>"], streams: [] }), "_INBOX.bad")).toThrow(
      /not a valid/,
    );
    expect(() =>
      servicePermissions(bad({ subjects: ["x"], streams: [{ name: "A.B", subjects: ["x"] }] }), "_INBOX.bad"),
    ).toThrow(/stream name/);
    expect(() => streamApiPublishSubjects("*")).toThrow(/stream name/);
  });
});

describe("shared mode", () => {
  it("is one unrestricted user serving every NATS service", () => {
    expect(natsAppUserSpecs({ userMode: "shared", perServiceInboxes: true })).toEqual([
      { name: "stellaops", services: ["scanner", "scheduler"], inboxPrefix: "_INBOX" },
    ]);
  });
});
