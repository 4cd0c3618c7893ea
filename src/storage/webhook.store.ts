import { sql } from 'kysely';
import type { DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookStore } from '../core/storage.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../db/schema.webhooks.js';
import type { StoreContext } from './store-context.js';

/** Row ⇄ record: the event types are a JSON array; booleans are the dialect's (1/0 on SQLite). */
const toEndpoint = (r: WebhookEndpointsTable): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: JSON.parse(r.event_types) as string[],
  enabled: Boolean(r.enabled),
  failingSince: r.failing_since,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toDelivery = (r: WebhookDeliveriesTable): WebhookDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  messageId: r.message_id,
  eventType: r.event_type,
  payload: r.payload,
  status: r.status as DeliveryStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  responseStatus: r.response_status === null ? null : Number(r.response_status),
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  lastError: r.last_error,
  createdAt: r.created_at,
});

/**
 * The webhook endpoints and their deliveries. An endpoint is claimed whole
 * (its `locked_until`), so it has one delivery in flight at a time across
 * every instance: its oldest pending one, so they go in the order of the
 * events. On PostgreSQL the claim skips endpoints another instance is
 * claiming (FOR UPDATE SKIP LOCKED) and re-checks the lock it sees committed.
 * A delivery never tried is due at once (its event's time may be a moment
 * ahead of the clock: a change's time is kept increasing).
 */
export function webhookStore({ db, dialect }: StoreContext): WebhookStore {
  const pg = dialect === 'postgres';
  const skipLocked = pg ? sql` for update of e skip locked` : sql``;
  const yes = pg ? sql`true` : sql`1`;
  const endpointRow = (e: WebhookEndpoint) => ({
    url: e.url,
    description: e.description,
    event_types: JSON.stringify(e.eventTypes),
    enabled: e.enabled ? 1 : 0,
    failing_since: e.failingSince,
    updated_at: e.updatedAt,
  });
  return {
    async insert(e, secret) {
      await db
        .insertInto('webhook_endpoints')
        .values({ id: e.id, ...endpointRow(e), secret, created_at: e.createdAt })
        .execute();
    },
    async find(id) {
      const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toEndpoint(row);
    },
    async secrets(id) {
      const row = await db
        .selectFrom('webhook_endpoints')
        .select(['secret', 'previous_secret', 'previous_secret_until'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { secret: row.secret, previous: row.previous_secret, previousUntil: row.previous_secret_until };
    },
    async list() {
      return (await db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute()).map(
        toEndpoint,
      );
    },
    async update(e) {
      await db.updateTable('webhook_endpoints').set(endpointRow(e)).where('id', '=', e.id).execute();
    },
    async setSecrets(id, s) {
      await db
        .updateTable('webhook_endpoints')
        .set({ secret: s.secret, previous_secret: s.previous, previous_secret_until: s.previousUntil })
        .where('id', '=', id)
        .execute();
    },
    async delete(id) {
      await db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      const r = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async enabled() {
      return (
        await db
          .selectFrom('webhook_endpoints')
          .selectAll()
          .where('enabled', '=', pg ? true : 1)
          .execute()
      ).map(toEndpoint);
    },
    async enqueue(deliveries) {
      if (deliveries.length === 0) return;
      await db
        .insertInto('webhook_deliveries')
        .values(
          deliveries.map((d) => ({
            id: d.id,
            endpoint_id: d.endpointId,
            message_id: d.messageId,
            event_type: d.eventType,
            payload: d.payload,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.nextAttemptAt,
            response_status: d.responseStatus,
            duration_ms: d.durationMs,
            last_error: d.lastError,
            created_at: d.createdAt,
          })),
        )
        .execute();
    },
    async claim(at, lockUntil, limit) {
      const { rows } = await sql<WebhookEndpointsTable>`
        update webhook_endpoints set locked_until = ${lockUntil}
        where id in (
          select e.id from webhook_endpoints e
          where e.enabled = ${yes} and (e.locked_until is null or e.locked_until <= ${at})
            and exists (
              select 1 from webhook_deliveries d
              where d.id = (select min(p.id) from webhook_deliveries p where p.endpoint_id = e.id and p.status = 'pending')
                and (d.attempts = 0 or d.next_attempt_at <= ${at}))
          order by e.id limit ${limit}${skipLocked}
        )
        returning *`.execute(db);
      const claimed = [];
      for (const row of rows) {
        const head = await db
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('endpoint_id', '=', row.id)
          .where('status', '=', 'pending')
          .orderBy('id')
          .limit(1)
          .executeTakeFirst();
        if (head) claimed.push({ endpoint: toEndpoint(row), delivery: toDelivery(head) });
        else await db.updateTable('webhook_endpoints').set({ locked_until: null }).where('id', '=', row.id).execute();
      }
      return claimed;
    },
    async attempted(d, o, failingSince) {
      await db
        .updateTable('webhook_deliveries')
        .set({
          status: o.status,
          attempts: o.attempts,
          next_attempt_at: o.nextAttemptAt,
          response_status: o.responseStatus,
          duration_ms: o.durationMs,
          last_error: o.error?.slice(0, 500) ?? null,
        })
        .where('id', '=', d.id)
        .execute();
      await db
        .updateTable('webhook_endpoints')
        .set({ locked_until: null, failing_since: failingSince })
        .where('id', '=', d.endpointId)
        .execute();
    },
    async deliveries(endpointId, q) {
      let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
      if (q.status !== undefined) query = query.where('status', '=', q.status);
      if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
      return (await query.orderBy('id', 'desc').limit(q.limit).execute()).map(toDelivery);
    },
    async delivery(endpointId, id) {
      const row = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toDelivery(row);
    },
    async resend(id, at) {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: at, last_error: null })
        .where('id', '=', id)
        .execute();
    },
    async sweep(at) {
      await db.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('created_at', '<', at).execute();
    },
    async backlog() {
      const row = await db
        .selectFrom('webhook_deliveries')
        .select((b) => [b.fn.countAll<number>().as('pending'), b.fn.min('created_at').as('oldest')])
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return { pending: Number(row?.pending ?? 0), oldest: (row?.oldest as string | null) ?? null };
    },
    async failures() {
      const count = async (status: string, retried: boolean) => {
        let q = db
          .selectFrom('webhook_deliveries')
          .select((b) => b.fn.countAll<number | string>().as('n'))
          .where('status', '=', status);
        if (retried) q = q.where('attempts', '>', 0);
        return Number((await q.executeTakeFirst())?.n ?? 0);
      };
      return { failing: await count('pending', true), gaveUp: await count('failed', false) };
    },
  };
}
