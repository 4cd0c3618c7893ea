import { sql } from 'kysely';
import type { Database } from '../../db/database.js';

/** Terms shorter than a trigram (1-2 characters) match as a prefix of username, email, first or last name; longer ones as a substring. */
export const isPrefixTerm = (term: string): boolean => [...term].length < 3;

/**
 * The search rule on one user's search text ("username\nemail\nfirst\nlast",
 * lower case), for totals kept in memory; the SQL in user.list.ts does the same.
 */
export function matchesSearch(text: string, term: string): boolean {
  const t = term.toLowerCase();
  return isPrefixTerm(t) ? `\n${text}`.includes(`\n${t}`) : text.includes(t);
}

/** Escapes LIKE wildcards so a search for "50%_off" means exactly that text. */
export const likePattern = (term: string): string => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const trigramsOf = (term: string): string[] => {
  const chars = [...term.toLowerCase()];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  return [...out];
};

const quote = (trigram: string) => `"${trigram.replaceAll('"', '""')}"`;

const RARITY_TTL_MS = 600_000;

/**
 * SQLite's trigram index answers a search from its two rarest trigrams: the
 * users holding both are the candidates, and LIKE then keeps exactly the
 * users holding the whole term. Matching the whole term as an FTS5 phrase
 * instead reads every trigram's list, and a term such as "garcia_12345" has
 * trigrams ("gar", "_12") shared by tens of thousands of users: 20 ms against
 * 1 ms at a million users. How many users hold a trigram comes from the
 * index's vocabulary, remembered for 10 minutes (it only steers the choice;
 * results are exact either way).
 */
export function createTrigramPlanner(database: Database, now: () => number) {
  const rarity = new Map<string, { docs: number; at: number }>();

  async function docs(trigram: string): Promise<number> {
    const hit = rarity.get(trigram);
    if (hit && now() - hit.at < RARITY_TTL_MS) return hit.docs;
    const { rows } = await sql<{ doc: number }>`select doc from users_search_vocab where term = ${trigram}`.execute(database.db);
    const n = Number(rows[0]?.doc ?? 0);
    if (rarity.size > 50_000) rarity.clear();
    rarity.set(trigram, { docs: n, at: now() });
    return n;
  }

  /**
   * The FTS5 query for a term of 3+ characters: its two rarest trigrams, both
   * required. The cost is reading their lists, so the shortest lists win,
   * even when the two overlap ("123", "234"): a common partner ("gar") would
   * narrow more but cost more to read.
   */
  return async function matchExpression(term: string): Promise<string> {
    const counted = await Promise.all(trigramsOf(term).map(async (t) => [t, await docs(t)] as const));
    counted.sort((a, b) => a[1] - b[1]);
    return counted
      .slice(0, 2)
      .map(([t]) => quote(t))
      .join(' AND ');
  };
}
