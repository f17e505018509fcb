import { activeServices, type ServiceSpec } from "../catalog";
import type { NatsSettings } from "./settings";

/**
 * Who may publish and subscribe to what, derived from the catalog's `nats.subjects` and `nats.streams`. Pure.
 *
 * JetStream is driven through subjects, so a per-service user gets, besides its own subjects, exactly the
 * JetStream API subjects that name its own streams (every API subject carries the stream name as a token), the
 * ack/flow-control subjects of messages delivered from them, and its reply inbox.
 */

export const DEFAULT_INBOX_PREFIX = "_INBOX";
export const SHARED_USER_NAME = "stellaops";

export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
}

export interface NatsAppUserSpec {
  readonly name: string;
  /** Catalog ids of the StellaOps services that connect as this user. */
  readonly services: readonly string[];
  /** Prefix the services' NATS clients must use for reply inboxes. */
  readonly inboxPrefix: string;
  /** Absent: unrestricted inside the application account (shared mode). */
  readonly permissions?: NatsPermissions;
}

const STREAM_NAME = /^[A-Za-z0-9_-]+$/;
const SUBJECT_TOKEN = /^[^\s.*>]+$/;

/** A NATS subject or subscription pattern: dot-separated tokens, `*` for one token, `>` only at the end. */
export function isValidSubject(subject: string): boolean {
  const tokens = subject.split(".");
  return tokens.every(
    (token, i) => SUBJECT_TOKEN.test(token) || token === "*" || (token === ">" && i === tokens.length - 1),
  );
}

function assertStreamName(name: string): void {
  if (!STREAM_NAME.test(name)) {
    throw new Error(`stream name "${name}" must be letters, digits, '_' or '-': it appears as a subject token`);
  }
}

/**
 * Publish permissions for managing and consuming one stream through the JetStream API. Nothing here matches a
 * subject that names another stream: the stream name is always a whole token.
 */
export function streamApiPublishSubjects(stream: string): string[] {
  assertStreamName(stream);
  return [
    // STREAM.CREATE / UPDATE / INFO / DELETE / PURGE (and SNAPSHOT / RESTORE) of this stream.
    `$JS.API.STREAM.*.${stream}`,
    // STREAM.MSG.GET / STREAM.MSG.DELETE.
    `$JS.API.STREAM.MSG.*.${stream}`,
    // Direct get (streams with allow_direct), by sequence and last-by-subject.
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    // CONSUMER.CREATE (ephemeral, pre-2.9 form), CONSUMER.NAMES, CONSUMER.LIST.
    `$JS.API.CONSUMER.*.${stream}`,
    // CONSUMER.CREATE with a name (and filter), CONSUMER.INFO, CONSUMER.DELETE.
    `$JS.API.CONSUMER.*.${stream}.>`,
    // Durable consumers in the older API form.
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.>`,
    // Pull requests of pull consumers.
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    // Ack, nak, in-progress and term replies to messages delivered from this stream.
    `$JS.ACK.${stream}.>`,
    // Flow-control replies of push consumers.
    `$JS.FC.${stream}.>`,
  ];
}

/** Advisories a dead-letter handler listens to: messages that ran out of deliveries or were terminated. */
export function streamAdvisorySubjects(stream: string): string[] {
  assertStreamName(stream);
  return [
    `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.>`,
    `$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.${stream}.>`,
  ];
}

/** Account-level JetStream information (limits, usage); clients ask for it when they start. */
export const JS_API_ACCOUNT_INFO = "$JS.API.INFO";

/** Everything one service may do: its subjects, its streams through the JetStream API, its reply inbox. */
export function servicePermissions(service: ServiceSpec, inboxPrefix: string): NatsPermissions {
  for (const subject of [...service.nats.subjects, ...service.nats.streams.flatMap((s) => s.subjects)]) {
    if (!isValidSubject(subject) || subject.startsWith("$") || subject.startsWith("_INBOX")) {
      throw new Error(`service ${service.id}: "${subject}" is not a valid application subject`);
    }
  }
  const streams = service.nats.streams.map((s) => s.name);
  return {
    publish: {
      allow: unique([...service.nats.subjects, JS_API_ACCOUNT_INFO, ...streams.flatMap(streamApiPublishSubjects)]),
    },
    subscribe: {
      allow: unique([...service.nats.subjects, `${inboxPrefix}.>`, ...streams.flatMap(streamAdvisorySubjects)]),
    },
  };
}

/** Active StellaOps services that use NATS (the catalog lists subjects or streams for them), in catalog order. */
export function natsServices(enabledOptionalServices: readonly string[] = []): ServiceSpec[] {
  return activeServices(enabledOptionalServices).filter((s) => s.nats.subjects.length > 0 || s.nats.streams.length > 0);
}

/** The application users: one shared user, or one per NATS-using service with its own permissions. */
export function natsAppUserSpecs(
  settings: Pick<NatsSettings, "userMode" | "perServiceInboxes">,
  enabledOptionalServices: readonly string[] = [],
): NatsAppUserSpec[] {
  const services = natsServices(enabledOptionalServices);
  if (services.length === 0) throw new Error("no active StellaOps service uses NATS: leave nats.enabled off");
  if (settings.userMode === "shared") {
    return [{ name: SHARED_USER_NAME, services: services.map((s) => s.id), inboxPrefix: DEFAULT_INBOX_PREFIX }];
  }
  return services.map((service) => {
    const inboxPrefix = settings.perServiceInboxes ? `${DEFAULT_INBOX_PREFIX}.${service.id}` : DEFAULT_INBOX_PREFIX;
    return {
      name: service.id,
      services: [service.id],
      inboxPrefix,
      permissions: servicePermissions(service, inboxPrefix),
    };
  });
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
