import type { AuditEvent } from '../audit.js';
import { uuidv7 } from '../ids.js';
import type { Storage, Stores, WebhookDelivery } from '../storage.js';
import type { User } from '../types.js';
import { type WebhookEventType, eventBody, eventTypesOf, listensTo } from './catalogue.js';

/** The public user as /api/v1 shows it (the composition root passes the surface's presenter). */
export type PresentUser = (user: User) => Record<string, unknown>;

const ABOUT_USER = /^(user|session|identity|passkey)\./;

/** The deliveries of one event: one per enabled endpoint that listens to its type, due now. */
export function deliveriesOf(
  endpoints: ReadonlyArray<{ id: string; eventTypes: string[] }>,
  type: string,
  body: Record<string, unknown>,
  at: string,
): WebhookDelivery[] {
  const messageId = `msg_${uuidv7(Date.parse(at)).replace(/-/g, '')}`;
  const payload = JSON.stringify(body);
  return endpoints
    .filter((e) => listensTo(e.eventTypes, type))
    .map((e) => ({
      id: uuidv7(Date.parse(at)),
      endpointId: e.id,
      messageId,
      eventType: type,
      payload,
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: at,
      responseStatus: null,
      durationMs: null,
      lastError: null,
      createdAt: at,
    }));
}

async function enqueueFor(s: Stores, e: AuditEvent, present: PresentUser): Promise<void> {
  if (eventTypesOf(e, undefined).length === 0) return;
  const endpoints = await s.webhooks.enabled();
  if (endpoints.length === 0) return;
  const about = ABOUT_USER.test(e.type) && e.targetId !== null;
  const user = about ? ((await s.users.byId(e.targetId!)) ?? (await s.users.deletedById(e.targetId!))) : undefined;
  const shown = user && present(user);
  for (const type of eventTypesOf(e, user) as WebhookEventType[])
    await s.webhooks.enqueue(deliveriesOf(endpoints, type, eventBody(type, e, shown), e.createdAt));
}

/**
 * Storage whose audit trail also writes webhook deliveries: every audit event
 * of a webhook type recorded in a transaction enqueues its deliveries in that
 * transaction, so an event exists if and only if the change committed. An
 * event recorded outside a transaction gets one of its own.
 */
export function withWebhookEvents(storage: Storage, present: PresentUser): Storage {
  const hooked = (s: Stores): Stores => ({
    ...s,
    audit: {
      ...s.audit,
      async record(e) {
        await s.audit.record(e);
        await enqueueFor(s, e, present);
      },
    },
  });
  return {
    ...storage,
    audit: {
      ...storage.audit,
      record: (e) =>
        eventTypesOf(e, undefined).length === 0
          ? storage.audit.record(e)
          : storage.transaction((s) => hooked(s).audit.record(e)),
    },
    transaction: (work) => storage.transaction((s) => work(hooked(s))),
  };
}
