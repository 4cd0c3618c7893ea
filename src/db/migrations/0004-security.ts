import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Security fixes:
 * - sessions.authenticated_at: when the session's user gave their password
 *   (recent-authentication checks); a refresh never moves it.
 * - users.first_name_key / last_name_key (lower case, as username_key and
 *   email_key are) and prefix indexes on all four keys, so a search term too
 *   short for the trigram index (1-2 characters) is answered from indexes as
 *   a prefix match instead of scanning the table. On PostgreSQL the indexes
 *   use the "C" collation, where a range of strings is exactly a prefix.
 * - The first token-signing key, with a random kid, made here because
 *   migrations run once however many instances start together (so they all
 *   sign with one key from the first request).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  if (!(await db.selectFrom('signing_keys').select('kid').executeTakeFirst())) {
    const secret = randomBytes(64).toString('base64url');
    await db
      .insertInto('signing_keys')
      .values({
        kid: randomBytes(12).toString('base64url'),
        alg: 'HS256',
        secret,
        created_at: new Date().toISOString(),
      })
      .execute();
  }
  await db.schema.alterTable('sessions').addColumn('authenticated_at', t.timestamp).execute();
  await db
    .updateTable('sessions')
    .set({ authenticated_at: sql.ref('created_at') })
    .execute();
  await db.schema.alterTable('users').addColumn('first_name_key', 'text').execute();
  await db.schema.alterTable('users').addColumn('last_name_key', 'text').execute();
  await backfillNameKeys(db);
  for (const column of ['username_key', 'email_key', 'first_name_key', 'last_name_key']) {
    const key = t.pg ? sql`(${sql.ref(column)} collate "C")` : sql.ref(column);
    await sql`create index ${sql.ref(`users_prefix_${column}`)} on users (${key}) where deleted_at is null`.execute(db);
  }
}

/** Lower-cases names in JavaScript, as new rows are (SQLite's lower() knows only ASCII). */
async function backfillNameKeys(db: Kysely<any>): Promise<void> {
  const key = (v: string | null) => (v === null ? null : v.toLowerCase());
  for (let after = ''; ; ) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'first_name', 'last_name'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(5000)
      .execute();
    if (rows.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        if (r.first_name === null && r.last_name === null) continue;
        await trx
          .updateTable('users')
          .set({ first_name_key: key(r.first_name), last_name_key: key(r.last_name) })
          .where('id', '=', r.id)
          .execute();
      }
    });
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['username_key', 'email_key', 'first_name_key', 'last_name_key'])
    await sql`drop index if exists ${sql.ref(`users_prefix_${column}`)}`.execute(db);
  await db.schema.alterTable('users').dropColumn('last_name_key').execute();
  await db.schema.alterTable('users').dropColumn('first_name_key').execute();
  await db.schema.alterTable('sessions').dropColumn('authenticated_at').execute();
}
