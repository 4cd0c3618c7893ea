import type { Database } from './database.js';

type Outcome<T> = { value: T } | undefined;
interface Queued {
  work: () => unknown;
  settle: (outcome: Outcome<unknown>) => void;
  fail: (error: unknown) => void;
}

/**
 * Group commit, for SQLite: synchronous units of work queued during one turn
 * of the event loop run together in one transaction, so they share one
 * commit (one append to the WAL) instead of paying one each; every caller
 * hears after that commit, so an answer never gets ahead of its write. When
 * the batch fails, nothing of it was kept, and each unit runs again in a
 * transaction of its own, so one unit's error is its own. While a
 * transaction of Kysely's holds the connection, units answer undefined and
 * their callers take the ordinary path. Undefined on PostgreSQL, where each
 * connection commits for itself.
 */
export function groupCommit(database: Database): (<T>(work: () => T) => Promise<Outcome<T>>) | undefined {
  const transaction = database.syncTransaction;
  if (!transaction) return undefined;
  let queue: Queued[] = [];

  const flush = () => {
    const batch = queue;
    queue = [];
    let values: unknown[] | undefined;
    try {
      values = transaction(() => batch.map((q) => q.work()))?.value;
      if (!values) return batch.forEach((q) => q.settle(undefined));
    } catch {
      for (const q of batch) {
        try {
          q.settle(transaction(q.work));
        } catch (error) {
          q.fail(error);
        }
      }
      return;
    }
    batch.forEach((q, i) => q.settle({ value: values[i] }));
  };

  return <T>(work: () => T) =>
    new Promise<Outcome<T>>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ work, settle: resolve as (o: Outcome<unknown>) => void, fail: reject });
    });
}
