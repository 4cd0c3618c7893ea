import { type Kysely, PostgresAdapter } from 'kysely';

/** Column types that differ between the two dialects; everything else is written once. */
export function columnTypes(db: Kysely<unknown>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    pg,
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    boolean: pg ? ('boolean' as const) : ('integer' as const),
    blob: pg ? ('bytea' as const) : ('blob' as const),
    true: pg ? 'true' : '1',
    false: pg ? 'false' : '0',
  };
}
