import { type Kysely, sql } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * The dashboard's counters (issue 27), so its summary reads a few hundred
 * small rows instead of counting users or audit events:
 * - stats_counters (name, shard, count): `users:<status>`, `users:deleted`,
 *   `users:mfa` (live users with TOTP on), `users:passkey` (users with at least
 *   one passkey); `h:<YYYY-MM-DDTHH>:<audit type>` events per UTC hour for
 *   sign-ups, sign-ins and failed sign-ins; `dau:<YYYY-MM-DD>` and
 *   `mau:<YYYY-MM>`, the users whose last_login_at moved into that UTC day or
 *   month (each user once per day and once per month, exactly).
 * - Database triggers keep them, in the transaction of the write that moves
 *   them, whatever code path writes (registration, import, seeding, every
 *   sign-in method). On PostgreSQL each bump goes to one of 8 random shards,
 *   so concurrent sign-ins do not queue on one row's lock; readers add shards.
 */
export const COUNTED_EVENTS = ['user.created', 'user.login', 'user.login_failed', 'user.mfa_failed'] as const;
const SHARDS = 8;
const inList = COUNTED_EVENTS.map((t) => `'${t}'`).join(', ');

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stats_counters')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_counters_pk', ['name', 'shard'])
    .execute();
  await db.schema
    .createTable('account_locks')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('locked_until', columnTypes(db).timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_locks_until').on('account_locks').column('locked_until').execute();
  await createStatsTriggers(db);
  await recountUserTotals(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropStatsTriggers(db);
  await db.schema.dropTable('account_locks').execute();
  await db.schema.dropTable('stats_counters').execute();
}

/** The triggers that keep stats_counters (the seeder lifts the users' ones for a bulk load, then recounts). */
export async function createStatsTriggers(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).pg) return createPostgresTriggers(db);
  const bump = (name: string, d: number, where = '') =>
    `insert into stats_counters (name, shard, count) select ${name}, 0, ${d} where true ${where}
       on conflict (name, shard) do update set count = count + excluded.count;`;
  const userKey = (r: string) =>
    `case when ${r}.deleted_at is null then 'users:' || ${r}.status else 'users:deleted' end`;
  const mfa = (r: string) => `and ${r}.deleted_at is null and ${r}.mfa_secret is not null`;
  const plus = `${bump(userKey('new'), 1)} ${bump(`'users:mfa'`, 1, mfa('new'))}`;
  const minus = `${bump(userKey('old'), -1)} ${bump(`'users:mfa'`, -1, mfa('old'))}`;
  const statements = [
    `create trigger if not exists stats_users_insert after insert on users begin ${plus} end`,
    `create trigger if not exists stats_users_delete after delete on users begin ${minus} end`,
    `create trigger if not exists stats_users_update after update of status, deleted_at, mfa_secret on users
       when old.status is not new.status or (old.deleted_at is null) <> (new.deleted_at is null)
         or (old.mfa_secret is null) <> (new.mfa_secret is null)
       begin ${minus} ${plus} end`,
    `create trigger if not exists stats_users_login after update of last_login_at on users
       when new.last_login_at is not null
         and (old.last_login_at is null or substr(old.last_login_at, 1, 10) < substr(new.last_login_at, 1, 10))
       begin ${bump(`'dau:' || substr(new.last_login_at, 1, 10)`, 1)}
         ${bump(`'mau:' || substr(new.last_login_at, 1, 7)`, 1, `and (old.last_login_at is null or substr(old.last_login_at, 1, 7) < substr(new.last_login_at, 1, 7))`)}
       end`,
    `create trigger if not exists stats_audit after insert on audit_events when new.type in (${inList})
       begin ${bump(`'h:' || substr(new.created_at, 1, 13) || ':' || new.type`, 1)} end`,
    `create trigger if not exists stats_passkey_insert after insert on passkeys
       when (select count(*) from passkeys where user_id = new.user_id) = 1
       begin ${bump(`'users:passkey'`, 1)} end`,
    `create trigger if not exists stats_passkey_delete after delete on passkeys
       when not exists (select 1 from passkeys where user_id = old.user_id)
       begin ${bump(`'users:passkey'`, -1)} end`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  const day = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD')`;
  const month = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM')`;
  const statements = [
    `create or replace function stats_bump(n text, d bigint) returns void language sql as $$
       insert into stats_counters (name, shard, count) values (n, floor(random() * ${SHARDS})::int, d)
       on conflict (name, shard) do update set count = stats_counters.count + excluded.count $$`,
    `create or replace function stats_users() returns trigger language plpgsql as $$ begin
       if tg_op <> 'INSERT' then
         perform stats_bump(case when old.deleted_at is null then 'users:' || old.status else 'users:deleted' end, -1);
         if old.deleted_at is null and old.mfa_secret is not null then perform stats_bump('users:mfa', -1); end if;
       end if;
       if tg_op <> 'DELETE' then
         perform stats_bump(case when new.deleted_at is null then 'users:' || new.status else 'users:deleted' end, 1);
         if new.deleted_at is null and new.mfa_secret is not null then perform stats_bump('users:mfa', 1); end if;
       end if;
       return null; end $$`,
    `create or replace function stats_login() returns trigger language plpgsql as $$ begin
       perform stats_bump('dau:' || ${day('new.last_login_at')}, 1);
       if old.last_login_at is null or ${month('old.last_login_at')} <> ${month('new.last_login_at')} then
         perform stats_bump('mau:' || ${month('new.last_login_at')}, 1);
       end if;
       return null; end $$`,
    `create or replace function stats_audit() returns trigger language plpgsql as $$ begin
       perform stats_bump('h:' || to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24') || ':' || new.type, 1);
       return null; end $$`,
    `create or replace function stats_passkeys() returns trigger language plpgsql as $$ begin
       if tg_op = 'INSERT' and (select count(*) from passkeys where user_id = new.user_id) = 1 then
         perform stats_bump('users:passkey', 1);
       elsif tg_op = 'DELETE' and not exists (select 1 from passkeys where user_id = old.user_id) then
         perform stats_bump('users:passkey', -1);
       end if;
       return null; end $$`,
    `create trigger stats_users_insert after insert or delete on users for each row execute function stats_users()`,
    `create trigger stats_users_update after update of status, deleted_at, mfa_secret on users for each row
       when (old.status is distinct from new.status or (old.deleted_at is null) <> (new.deleted_at is null)
         or (old.mfa_secret is null) <> (new.mfa_secret is null))
       execute function stats_users()`,
    `create trigger stats_users_login after update of last_login_at on users for each row
       when (new.last_login_at is not null and (old.last_login_at is null
         or ${day('old.last_login_at')} < ${day('new.last_login_at')}))
       execute function stats_login()`,
    `create trigger stats_audit after insert on audit_events for each row when (new.type in (${inList}))
       execute function stats_audit()`,
    `create trigger stats_passkeys after insert or delete on passkeys for each row execute function stats_passkeys()`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

const TRIGGERS: Array<[string, string]> = [
  ['stats_users_insert', 'users'],
  ['stats_users_delete', 'users'],
  ['stats_users_update', 'users'],
  ['stats_users_login', 'users'],
  ['stats_audit', 'audit_events'],
  ['stats_passkey_insert', 'passkeys'],
  ['stats_passkey_delete', 'passkeys'],
  ['stats_passkeys', 'passkeys'],
];

export async function dropStatsTriggers(db: Kysely<any>): Promise<void> {
  const pg = columnTypes(db).pg;
  for (const [name, table] of TRIGGERS) {
    await sql.raw(`drop trigger if exists ${name}${pg ? ` on ${table}` : ''}`).execute(db);
  }
}

/**
 * Counts the users' totals from the table (once: at the migration, and after a bulk load that ran without the
 * triggers): a scan, never on a page load.
 */
export async function recountUserTotals(db: Kysely<any>): Promise<void> {
  await sql`delete from stats_counters where name like 'users:%'`.execute(db);
  await sql`insert into stats_counters (name, shard, count)
    select case when deleted_at is null then 'users:' || status else 'users:deleted' end, 0, count(*)
    from users group by 1`.execute(db);
  await sql`insert into stats_counters (name, shard, count)
    select 'users:mfa', 0, count(*) from users where deleted_at is null and mfa_secret is not null`.execute(db);
  await sql`insert into stats_counters (name, shard, count)
    select 'users:passkey', 0, count(distinct user_id) from passkeys`.execute(db);
}
