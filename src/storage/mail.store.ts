import { sql } from 'kysely';
import type { MailStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/**
 * The mail outbox. Claiming marks due rows locked for a while in one
 * statement; on PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED, so
 * several instances sending at once never claim the same mail (SQLite has one
 * writer at a time anyway).
 */
export function mailStore({ db, dialect }: StoreContext): MailStore {
  const skipLocked = dialect === 'postgres' ? sql` for update skip locked` : sql``;
  return {
    async enqueue(mail, at) {
      await db
        .insertInto('mail_outbox')
        .values({
          id: mail.id,
          to_address: mail.to,
          template: mail.template,
          data: JSON.stringify(mail.data),
          created_at: at,
          attempts: 0,
          next_attempt_at: at,
          locked_until: null,
          sent_at: null,
          last_error: null,
        })
        .execute();
    },
    async claim(at, lockUntil, limit) {
      const { rows } = await sql<{ id: string; to_address: string; template: string; data: string; attempts: number }>`
        update mail_outbox set locked_until = ${lockUntil}
        where id in (
          select id from mail_outbox
          where sent_at is null and next_attempt_at <= ${at} and (locked_until is null or locked_until <= ${at})
          order by next_attempt_at, id limit ${limit}${skipLocked}
        )
        returning id, to_address, template, data, attempts`.execute(db);
      return rows.map((r) => ({
        id: r.id,
        to: r.to_address,
        template: r.template,
        data: JSON.parse(r.data) as Record<string, string>,
        attempts: Number(r.attempts),
      }));
    },
    async pending() {
      const row = await db
        .selectFrom('mail_outbox')
        .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
        .where('sent_at', 'is', null)
        .executeTakeFirst();
      return { count: Number(row?.count ?? 0), oldestAt: (row?.oldest as string | null | undefined) ?? null };
    },
    async sent(id, at) {
      await db
        .updateTable('mail_outbox')
        .set({ sent_at: at, locked_until: null, last_error: null })
        .where('id', '=', id)
        .execute();
    },
    async failed(id, attempts, nextAttemptAt, error) {
      await db
        .updateTable('mail_outbox')
        .set({ attempts, next_attempt_at: nextAttemptAt, locked_until: null, last_error: error.slice(0, 500) })
        .where('id', '=', id)
        .execute();
    },
  };
}
