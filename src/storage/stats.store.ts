import { sql } from 'kysely';
import type { StatsStore } from '../core/storage.js';
import type { StoreContext } from './store-context.js';

/** Mails given up on wait "forever" (src/core/mail/mail.ts parks them in year 9999). */
const GIVEN_UP = '9000-01-01T00:00:00.000Z';

/**
 * The dashboard's figures: the counters the 0015 triggers keep (a range scan of the primary key, a few hundred rows
 * at most), the failing mails (the outbox's due index, unsent rows only) and the live account locks (a small table).
 * Never a scan of users or audit events.
 */
export function statsStore({ db }: StoreContext): StatsStore {
  return {
    async counters(ranges) {
      if (ranges.length === 0) return new Map();
      const rows = await db
        .selectFrom('stats_counters')
        .select(['name', sql<string | number>`sum(count)`.as('n')])
        .where((eb) => eb.or(ranges.map(([from, to]) => eb.and([eb('name', '>=', from), eb('name', '<', to)]))))
        .groupBy('name')
        .execute();
      return new Map(rows.map((r) => [r.name, Number(r.n)]));
    },
    async mailFailing() {
      const row = await db
        .selectFrom('mail_outbox')
        .select([
          sql<string | number>`count(*)`.as('failing'),
          sql<string | number>`coalesce(sum(case when next_attempt_at >= ${GIVEN_UP} then 1 else 0 end), 0)`.as(
            'gave_up',
          ),
        ])
        .where('sent_at', 'is', null)
        .where('attempts', '>', 0)
        .executeTakeFirstOrThrow();
      return { failing: Number(row.failing), gaveUp: Number(row.gave_up) };
    },
    async lockedAccounts(at) {
      const row = await db
        .selectFrom('account_locks')
        .select(sql<string | number>`count(*)`.as('n'))
        .where('locked_until', '>', at)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async noteLock(userId, until, at) {
      await db.deleteFrom('account_locks').where('locked_until', '<=', at).execute();
      await db
        .insertInto('account_locks')
        .values({ user_id: userId, locked_until: until })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ locked_until: until }))
        .execute();
    },
    async sweep(hourBefore, dayBefore) {
      await db
        .deleteFrom('stats_counters')
        .where((eb) =>
          eb.or([
            eb.and([eb('name', '>=', 'h:'), eb('name', '<', `h:${hourBefore}`)]),
            eb.and([eb('name', '>=', 'dau:'), eb('name', '<', `dau:${dayBefore}`)]),
          ]),
        )
        .execute();
    },
  };
}
