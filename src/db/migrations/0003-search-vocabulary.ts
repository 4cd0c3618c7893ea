import { type Kysely, sql } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * SQLite only: a view of the trigram index's vocabulary (how many users each
 * trigram occurs in), so a search can ask the index for its rarest trigrams
 * instead of all of them (see user.search.ts). PostgreSQL's GIN index needs nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).pg) return;
  await sql`create virtual table users_search_vocab using fts5vocab('users_search', 'row')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).pg) return;
  await sql`drop table if exists users_search_vocab`.execute(db);
}
