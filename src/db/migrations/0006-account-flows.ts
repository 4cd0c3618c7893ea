import { type Kysely, sql } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * The account flows: verified email addresses, one-time codes (email
 * verification, password reset), the mail outbox, where sessions come from,
 * and the second factor (TOTP, recovery codes, login challenges).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // Existing users never proved their address; an operator who turns on USHER_REQUIRE_VERIFIED_EMAIL asks them to.
  await db.schema
    .alterTable('users')
    .addColumn('email_verified', t.boolean, (c) => c.notNull().defaultTo(sql.raw(t.false)))
    .execute();
  await db.schema.alterTable('users').addColumn('mfa_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('mfa_pending_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('mfa_last_step', 'integer').execute();
  // Soft-deleted users are listed (and restored) by admins: found by this index, never by scanning live ones.
  await db.schema
    .createIndex('users_deleted_at')
    .on('users')
    .column('deleted_at')
    .where(sql.ref('deleted_at'), 'is not', null)
    .execute();
  for (const column of ['ip', 'user_agent']) await db.schema.alterTable('sessions').addColumn(column, 'text').execute();
  await db.schema.alterTable('sessions').addColumn('last_used_at', t.timestamp).execute();
  await db
    .updateTable('sessions')
    .set({ last_used_at: sql.ref('refreshed_at') })
    .execute();

  await db.schema
    .createTable('one_time_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('one_time_codes_user_purpose')
    .on('one_time_codes')
    .columns(['user_id', 'purpose'])
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    .addColumn('locked_until', t.timestamp)
    .addColumn('sent_at', t.timestamp)
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['sent_at', 'next_attempt_at']).execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('mfa_challenges')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists users_deleted_at`.execute(db);
  for (const table of ['mfa_challenges', 'recovery_codes', 'mail_outbox', 'one_time_codes'])
    await db.schema.dropTable(table).ifExists().execute();
  for (const column of ['last_used_at', 'user_agent', 'ip'])
    await db.schema.alterTable('sessions').dropColumn(column).execute();
  for (const column of ['mfa_last_step', 'mfa_pending_secret', 'mfa_secret', 'email_verified'])
    await db.schema.alterTable('users').dropColumn(column).execute();
}
