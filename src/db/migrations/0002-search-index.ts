import { type Kysely, sql } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Substring search over users.search_text without a table scan (for terms of
 * 3+ characters): a trigram GIN index on PostgreSQL, an FTS5 trigram table on
 * SQLite kept in step by triggers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).pg) {
    // In public, so dropping an application schema never takes the extension with it.
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    await createSearchTrigramIndex(db);
    return;
  }
  await sql`create virtual table users_search using fts5(search_text, content='users', content_rowid='rowid', tokenize='trigram')`.execute(
    db,
  );
  await createSearchInsertTrigger(db);
  await sql`create trigger users_search_delete after delete on users begin
    insert into users_search(users_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
  end`.execute(db);
  await sql`create trigger users_search_update after update of search_text on users begin
    insert into users_search(users_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
    insert into users_search(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
  await sql`insert into users_search(users_search) values ('rebuild')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).pg) {
    await sql`drop index if exists users_search_trgm`.execute(db);
    return;
  }
  for (const trigger of ['users_search_insert', 'users_search_delete', 'users_search_update'])
    await sql`drop trigger if exists ${sql.raw(trigger)}`.execute(db);
  await sql`drop table if exists users_search`.execute(db);
}

/** Keeps the SQLite trigram table in step with inserted users (the seeder lifts it for a bulk load, then rebuilds). */
export async function createSearchInsertTrigger(db: Kysely<any>): Promise<void> {
  await sql`create trigger if not exists users_search_insert after insert on users begin
    insert into users_search(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
}

/** The PostgreSQL trigram index (the seeder drops it for a bulk load, then builds it again). */
export async function createSearchTrigramIndex(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists users_search_trgm on users using gin (search_text public.gin_trgm_ops)`.execute(
    db,
  );
}
