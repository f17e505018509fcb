import { AckPolicy, StorageType, StringCodec, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { natsSettings } from "../../components/nats/settings";
import { serverBinaryOrSkip, waitUntil } from "../support/servers";
import { FIXTURES } from "./natsFixtures";
import { configTest, credentialsOf, dockerStyleConf, startNatsServer, type NatsTestServer } from "./natsServer";

/**
 * per-service mode on a real nats-server: each service reaches its own subjects and, through the JetStream API,
 * its own streams; another service's subjects, streams, consumers and reply inboxes are refused.
 */

const bin = serverBinaryOrSkip("nats-server", "nats-server");
const sc = StringCodec();
const DENIED = /Permissions Violation/;

describe.skipIf(!bin)("NATS on a real server: per-service mode", () => {
  const settings = natsSettings.parse({ enabled: true, userMode: "per-service" });
  let server: NatsTestServer;
  let scanner: NatsConnection;
  let scheduler: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer(bin!, { render: dockerStyleConf(settings) });
    scanner = await server.client(credentialsOf(settings, "scanner"));
    scheduler = await server.client(credentialsOf(settings, "scheduler"));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("passes the server's own configuration test", () => {
    expect(configTest(bin!, server.confPath)).toMatch(/configuration file .* is valid/);
  });

  it("lets each service run its own streams: create, publish, durable consumer, acks, dead-letter stream", async () => {
    const jsm = await scanner.jetstreamManager();
    await jsm.streams.add({ name: "SCANNER_JOBS", subjects: ["scanner.jobs"], storage: StorageType.File });
    await jsm.streams.add({ name: "SCANNER_JOBS_DEAD", subjects: ["scanner.jobs.dead"], storage: StorageType.File });
    const js = scanner.jetstream();
    await js.publish("scanner.jobs", sc.encode("scan-1"));
    await jsm.consumers.add("SCANNER_JOBS", { durable_name: "workers", ack_policy: AckPolicy.Explicit });
    const consumer = await js.consumers.get("SCANNER_JOBS", "workers");
    const msg = await consumer.next({ expires: 5000 });
    expect(sc.decode(msg!.data)).toBe("scan-1");
    // Dead-lettering: the failed job goes to the service's own dead-letter stream, then is terminated.
    await js.publish("scanner.jobs.dead", msg!.data);
    msg!.term();
    await scanner.flush();
    await waitUntil(async () => (await consumer.info()).num_ack_pending === 0, "the term to be recorded");
    expect((await jsm.streams.info("SCANNER_JOBS_DEAD")).state.messages).toBe(1);

    const sjsm = await scheduler.jetstreamManager();
    await sjsm.streams.add({ name: "SCHEDULER_PLANNER", subjects: ["scheduler.planner"], storage: StorageType.File });
    await scheduler.jetstream().publish("scheduler.planner", sc.encode("plan-1"));
    await sjsm.consumers.add("SCHEDULER_PLANNER", { durable_name: "planners", ack_policy: AckPolicy.Explicit });
    expect((await sjsm.streams.info("SCHEDULER_PLANNER")).state.messages).toBe(1);
  });

  it("refuses a service another service's subjects, for publishing and subscribing", async () => {
    const seen: string[] = [];
    const watch = scheduler.subscribe("scheduler.planner", { callback: (_err, m) => seen.push(sc.decode(m.data)) });
    await scheduler.flush();

    await expect(scanner.request("scheduler.planner", sc.encode("hijack"), { timeout: 2000 })).rejects.toThrow(
      /Permissions Violation for Publish to "scheduler.planner"/,
    );
    scanner.publish("scheduler.runner", sc.encode("hijack"));
    await scanner.flush();

    const sub = scanner.subscribe("scheduler.planner");
    await expect(drain(sub)).rejects.toThrow(/Permissions Violation for Subscription to "scheduler.planner"/);
    const wildcard = scanner.subscribe("scheduler.>");
    await expect(drain(wildcard)).rejects.toThrow(DENIED);
    const everything = scanner.subscribe(">");
    await expect(drain(everything)).rejects.toThrow(DENIED);

    await scheduler.flush();
    expect(seen).toEqual([]);
    expect(server.log()).toMatch(/Publish Violation - User "scanner", Subject "scheduler.runner"/);
    watch.unsubscribe();
  });

  it("refuses a service the JetStream API of another service's streams", async () => {
    const jsm = await scanner.jetstreamManager({ timeout: 2000 });
    await expect(jsm.streams.info("SCHEDULER_PLANNER")).rejects.toThrow(DENIED);
    await expect(jsm.streams.delete("SCHEDULER_PLANNER")).rejects.toThrow(DENIED);
    await expect(jsm.streams.purge("SCHEDULER_PLANNER")).rejects.toThrow(DENIED);
    await expect(jsm.streams.getMessage("SCHEDULER_PLANNER", { seq: 1 })).rejects.toThrow(DENIED);
    await expect(
      jsm.consumers.add("SCHEDULER_PLANNER", { durable_name: "stolen", ack_policy: AckPolicy.Explicit }),
    ).rejects.toThrow(DENIED);
    await expect(jsm.consumers.info("SCHEDULER_PLANNER", "planners")).rejects.toThrow(DENIED);
    await expect(jsm.consumers.delete("SCHEDULER_PLANNER", "planners")).rejects.toThrow(DENIED);
    await expect(
      scanner.request("$JS.API.CONSUMER.MSG.NEXT.SCHEDULER_PLANNER.planners", sc.encode('{"batch":1}'), {
        timeout: 2000,
      }),
    ).rejects.toThrow(DENIED);
    // Listing every stream of the account is not part of any service's permissions either.
    await expect(jsm.streams.names().next()).rejects.toThrow(DENIED);

    // The scheduler's stream, consumer and message are untouched.
    const sjsm = await scheduler.jetstreamManager();
    const info = await sjsm.streams.info("SCHEDULER_PLANNER");
    expect(info.state.messages).toBe(1);
    expect((await sjsm.consumers.info("SCHEDULER_PLANNER", "planners")).num_pending).toBe(1);
  });

  it("keeps each service's reply inbox to itself", async () => {
    await expect(drain(scanner.subscribe("_INBOX.scheduler.>"))).rejects.toThrow(DENIED);
    await expect(drain(scanner.subscribe("_INBOX.>"))).rejects.toThrow(DENIED);
    // A client left on the default inbox prefix cannot even receive JetStream API replies: the prefix is required.
    const stray = await server.client({ user: "scanner", pass: FIXTURES.scanner.password });
    await expect(stray.jetstreamManager({ timeout: 1000 })).rejects.toThrow(DENIED);
  });

  it("refuses the system account's subjects", async () => {
    await expect(scanner.request("$SYS.REQ.ACCOUNT.PING.CONNZ", undefined, { timeout: 1000 })).rejects.toThrow(DENIED);
  });
});

async function drain(sub: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of sub) {
    // A denied subscription ends with the server's error before any message arrives.
  }
}
