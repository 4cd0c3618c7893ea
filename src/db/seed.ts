import { type Kysely, PostgresAdapter, type Transaction, sql } from 'kysely';
import { uuidv7 } from '../core/ids.js';
import { emailKey, nameKey, searchText, usernameKey, type UserRow } from '../core/users/user.repository.js';
import { createSearchInsertTrigger, createSearchTrigramIndex } from './migrations/0002-search-index.js';
import type { Schema } from './schema.js';

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'Wei', 'Aiko', 'Olga', 'Fatima', 'Lucas', 'Chloé', 'Mateo', 'Ingrid', 'Amara', 'Ravi'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Nakamura', 'Müller', 'Kowalski', 'Okafor', 'Haddad', 'Dubois', 'Rossi', 'Ivanova', 'Silva', 'Chen'];

export interface SeedOptions {
  count: number;
  /** One argon2id hash every seeded user shares (hashing a million passwords would take hours). */
  passwordHash: string;
  /** Username prefix, so several seedings can share a database. */
  prefix?: string;
  batchSize?: number;
  onProgress?: (done: number) => void;
}

const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.test'];

/** The username of seeded user number `i`: `<prefix><first>_<last>_<i>`, lower case, e.g. `james_smith_1234`. */
export function seededUsername(i: number, prefix = ''): string {
  return `${prefix}${FIRST[i % FIRST.length]}_${LAST[Math.floor(i / FIRST.length) % LAST.length]}_${i}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9_-]/g, '');
}

/** Seeded user number `i`: realistic names (so trigram statistics are realistic), password as hashed. */
export function seededRow(i: number, o: SeedOptions, createdMs: number): UserRow {
  const username = seededUsername(i, o.prefix);
  const email = `${username}@${DOMAINS[i % DOMAINS.length]}`;
  const iso = new Date(createdMs).toISOString();
  const row: UserRow = {
    id: uuidv7(createdMs),
    username,
    username_key: usernameKey(username),
    email,
    email_key: emailKey(email),
    password_hash: o.passwordHash,
    role: 'user',
    status: i % 20 === 0 ? 'inactive' : 'active',
    first_name: FIRST[i % FIRST.length]!,
    first_name_key: nameKey(FIRST[i % FIRST.length]),
    last_name: LAST[Math.floor(i / FIRST.length) % LAST.length]!,
    last_name_key: nameKey(LAST[Math.floor(i / FIRST.length) % LAST.length]),
    phone_number: null,
    date_of_birth: null,
    bio: null,
    picture_id: null,
    pref_theme: 'system',
    pref_notifications: 1,
    search_text: '',
    created_at: iso,
    updated_at: iso,
    last_login_at: null,
    deleted_at: null,
  };
  row.search_text = searchText(row);
  return row;
}

/**
 * Inserts `count` users in multi-row batches inside transactions: the fast
 * path for load tests. Rows go through the same key and search-text functions
 * the service uses, so seeded users behave like registered ones.
 */
export async function seedUsers(db: Kysely<Schema>, o: SeedOptions): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // PostgreSQL bulk load: the trigram GIN index is built once at the end
    // rather than maintained row by row (half the time at a million).
    await sql`drop index if exists users_search_trgm`.execute(db);
    try {
      await insertUsers(db, o);
    } finally {
      await db.connection().execute(async (c) => {
        await sql`set maintenance_work_mem = '256MB'`.execute(c);
        await createSearchTrigramIndex(c);
      });
    }
    // Fresh planner statistics, as after any bulk load: without them searches pick poor plans.
    await sql`analyze users`.execute(db);
    return;
  }
  // SQLite bulk load: a large page cache, and the trigram table filled in one
  // pass at the end instead of row by row (a third of the time at a million).
  await sql`pragma cache_size = -262144`.execute(db);
  await sql`drop trigger if exists users_search_insert`.execute(db);
  try {
    await insertUsers(db, o);
  } finally {
    await createSearchInsertTrigger(db);
    await sql`insert into users_search(users_search) values ('rebuild')`.execute(db);
    await sql`pragma cache_size = -2000`.execute(db);
  }
  await sql`analyze`.execute(db);
}

async function insertUsers(db: Kysely<Schema>, o: SeedOptions): Promise<void> {
  const batch = o.batchSize ?? (db.getExecutor().adapter instanceof PostgresAdapter ? 5000 : 1000);
  // Creation times one millisecond apart, ending now: ordering by created_at is realistic.
  const start = Date.now() - o.count;
  for (let done = 0; done < o.count; ) {
    await db.transaction().execute(async (trx) => {
      if (trx.getExecutor().adapter instanceof PostgresAdapter) {
        // Bulk load: no fsync per commit (a crash loses only seed data).
        await sql`set local synchronous_commit = off`.execute(trx);
      }
      for (let k = 0; k < 20 && done < o.count; k++) {
        const n = Math.min(batch, o.count - done);
        const rows = Array.from({ length: n }, (_, j) => seededRow(done + j, o, start + done + j));
        if (trx.getExecutor().adapter instanceof PostgresAdapter) await insertByColumns(trx, rows);
        else await trx.insertInto('users').values(rows).execute();
        done += n;
      }
    });
    o.onProgress?.(done);
  }
}

/**
 * PostgreSQL: one array parameter per column, spread into rows by unnest().
 * A thousand-row VALUES list is 21,000 parameters for the server to parse and
 * plan; 21 arrays are not (the load runs about twice as fast).
 */
async function insertByColumns(trx: Transaction<Schema>, rows: UserRow[]): Promise<void> {
  const columns = Object.keys(rows[0]!) as Array<keyof UserRow>;
  const arrays = columns.map((c) => sql`${rows.map((r) => r[c])}::${sql.raw(PG_TYPES[c] ?? 'text')}[]`);
  await sql`insert into users (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})`.execute(trx);
}

const PG_TYPES: Partial<Record<keyof UserRow, string>> = {
  pref_notifications: 'boolean',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  last_login_at: 'timestamptz',
  deleted_at: 'timestamptz',
};
