import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { isPrefixTerm } from '../../core/users/search-rule.js';
import type { Database } from '../../db/database.js';
import type { Placeholders } from '../../db/prepared.js';

/**
 * How a search runs:
 * - 'fts' (SQLite) and 'prefix' collect the matches from an index, then sort
 *   them: for few matches;
 * - 'like' and 'prefix-scan' walk the sort index and test each row, stopping
 *   at the page's end: for many matches, where the page fills at once.
 */
export type SearchMode = 'none' | 'fts' | 'like' | 'prefix' | 'prefix-scan' | 'lines';

/** The values a search binds: a LIKE pattern, an FTS5 query, or a prefix range [low, high). */
export type SearchValue = 'like' | 'match' | 'low' | 'high';

/** The dialect-specific part of search, as one interface with an implementation per dialect. */
export interface SearchPlan {
  /** The mode and values for `term`; `fewMatches` comes from the cached total. */
  values(
    term: string,
    fewMatches: boolean,
  ): Promise<{ mode: SearchMode; values: Partial<Record<SearchValue, string>> }>;
  condition(mode: SearchMode, p: Placeholders<SearchValue>): Expression<SqlBool>;
}

/** Lower case, LIKE wildcards escaped: a search for "50%_off" means exactly that text. */
const escapeLike = (term: string): string => term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
export const likePattern = (term: string): string => `%${escapeLike(term)}%`;

// Sorts after every character a name can hold: [low, low + this) is exactly the strings starting with low.
const AFTER_ALL = '\u{10FFFF}';
const PREFIX_COLUMNS = ['username_key', 'email_key', 'first_name_key', 'last_name_key'] as const;

/**
 * Terms of 1-2 characters: one range scan per prefix index, as UNION ALL
 * inside IN (a merging UNION made SQLite scan the table to get rowid order);
 * or, for many matches, a test no index can serve, so the sort index is walked.
 */
function prefixCondition(
  mode: SearchMode,
  p: Placeholders<SearchValue>,
  rowKey: 'rowid' | 'id',
  key: (column: string) => RawBuilder<unknown>,
): Expression<SqlBool> {
  if (mode === 'prefix') {
    const ranges = PREFIX_COLUMNS.map(
      (c) =>
        sql`select ${sql.raw(rowKey)} from users where deleted_at is null and ${key(c)} >= ${p.low} and ${key(c)} < ${p.high}`,
    );
    return sql<SqlBool>`users.${sql.raw(rowKey)} in (${sql.join(ranges, sql` union all `)})`;
  }
  return sql<SqlBool>`(${sql.join(
    PREFIX_COLUMNS.map((c) => sql`substr(${sql.ref(c)}, 1, length(${p.low})) = ${p.low}`),
    sql` or `,
  )})`;
}

const prefixValues = (term: string, fewMatches: boolean) => {
  const low = term.toLowerCase();
  return { mode: fewMatches ? ('prefix' as const) : ('prefix-scan' as const), values: { low, high: low + AFTER_ALL } };
};

/**
 * Among soft-deleted users (no search indexes; the deleted_at index finds
 * them): the same rule as a LIKE over the search text, a field prefix being a
 * match right after a newline.
 */
export function deletedSearch(term: string): { mode: SearchMode; values: Partial<Record<SearchValue, string>> } {
  return isPrefixTerm(term)
    ? { mode: 'lines', values: { like: `%\n${escapeLike(term)}%` } }
    : { mode: 'like', values: { like: likePattern(term) } };
}

const linesCondition = (p: Placeholders<SearchValue>) =>
  sql<SqlBool>`(${'\n'} || search_text) like ${p.like} escape '\\'`;

export function createSearchPlan(database: Database): SearchPlan {
  return database.dialect === 'postgres' ? postgresPlan() : sqlitePlan(database);
}

/**
 * PostgreSQL: the pg_trgm GIN index serves LIKE directly; the prefix indexes are in the "C" collation (migration 0004).
 */
function postgresPlan(): SearchPlan {
  return {
    async values(term, fewMatches) {
      return isPrefixTerm(term)
        ? prefixValues(term, fewMatches)
        : { mode: 'like', values: { like: likePattern(term) } };
    },
    condition(mode, p) {
      if (mode === 'prefix' || mode === 'prefix-scan')
        return prefixCondition(mode, p, 'id', (c) => sql`(${sql.ref(c)} collate "C")`);
      if (mode === 'lines') return linesCondition(p);
      return sql<SqlBool>`search_text like ${p.like} escape '\\'`;
    },
  };
}

const RARITY_TTL_MS = 600_000;

const trigramsOf = (term: string): string[] => {
  const chars = [...term.toLowerCase()];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  return [...out];
};

const quote = (trigram: string) => `"${trigram.replaceAll('"', '""')}"`;

/**
 * SQLite: the FTS5 trigram index answers a search from the term's two rarest
 * trigrams (the users holding both are the candidates), and LIKE then keeps
 * exactly the users holding the whole term. Matching the whole term as a
 * phrase reads every trigram's list, and a term such as "garcia_12345" has
 * trigrams ("gar", "_12") shared by tens of thousands of users: 20 ms against
 * 1 ms at a million users. How many users hold a trigram comes from the
 * index's vocabulary, remembered for 10 minutes (it only steers the choice;
 * results are exact either way).
 */
function sqlitePlan(database: Database): SearchPlan {
  const rarity = new Map<string, { docs: number; at: number }>();

  async function docs(trigram: string): Promise<number> {
    const hit = rarity.get(trigram);
    if (hit && Date.now() - hit.at < RARITY_TTL_MS) return hit.docs;
    const { rows } = await sql<{ doc: number }>`select doc from users_search_vocab where term = ${trigram}`.execute(
      database.db,
    );
    const n = Number(rows[0]?.doc ?? 0);
    if (rarity.size > 50_000) rarity.clear();
    rarity.set(trigram, { docs: n, at: Date.now() });
    return n;
  }

  /** The two rarest trigrams, both required: the cost is reading their lists, so the shortest lists win. */
  async function matchExpression(term: string): Promise<string> {
    const counted = await Promise.all(trigramsOf(term).map(async (t) => [t, await docs(t)] as const));
    counted.sort((a, b) => a[1] - b[1]);
    return counted
      .slice(0, 2)
      .map(([t]) => quote(t))
      .join(' AND ');
  }

  return {
    async values(term, fewMatches) {
      if (isPrefixTerm(term)) return prefixValues(term, fewMatches);
      const like = likePattern(term);
      return fewMatches
        ? { mode: 'fts', values: { like, match: await matchExpression(term) } }
        : { mode: 'like', values: { like } };
    },
    condition(mode, p) {
      if (mode === 'prefix' || mode === 'prefix-scan') return prefixCondition(mode, p, 'rowid', (c) => sql.ref(c));
      if (mode === 'lines') return linesCondition(p);
      const exactly = sql<SqlBool>`search_text like ${p.like} escape '\\'`;
      return mode === 'fts'
        ? sql<SqlBool>`users.rowid in (select rowid from users_search where users_search match ${p.match}) and ${exactly}`
        : exactly;
    },
  };
}
