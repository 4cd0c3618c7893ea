import { sql } from 'kysely';
import type { Database } from '../../db/database.js';

/** Escapes LIKE wildcards so a search for "50%_off" means exactly that text. */
export const likePattern = (term: string): string => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Each trigram of the term with where it starts. */
const trigramsOf = (term: string): Array<{ trigram: string; at: number }> => {
  const chars = [...term.toLowerCase()];
  const out: Array<{ trigram: string; at: number }> = [];
  for (let i = 0; i + 3 <= chars.length; i++) out.push({ trigram: chars.slice(i, i + 3).join(''), at: i });
  return out;
};

const quote = (trigram: string) => `"${trigram.replaceAll('"', '""')}"`;

const RARITY_TTL_MS = 600_000;

/**
 * SQLite's trigram index answers a search from two of its rarest trigrams: the
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
   * The FTS5 query for a term of 3+ characters: its rarest trigram and the
   * rarest one that does not overlap it, both required. Overlapping trigrams
   * ("123", "234") mostly occur together and would narrow little.
   */
  return async function matchExpression(term: string): Promise<string> {
    const counted = await Promise.all(trigramsOf(term).map(async (t) => ({ ...t, docs: await docs(t.trigram) })));
    counted.sort((a, b) => a.docs - b.docs);
    const rarest = counted[0]!;
    const partner = counted.find((t) => Math.abs(t.at - rarest.at) >= 3) ?? counted.find((t) => t.trigram !== rarest.trigram);
    return [rarest, ...(partner ? [partner] : [])].map((t) => quote(t.trigram)).join(' AND ');
  };
}
