/** The storage interface of the dashboard's figures (src/storage/stats.store.ts; the counters' triggers in 0015). */

/** A range of counter names, from (inclusive) to (exclusive). */
export type NameRange = readonly [from: string, to: string];

export interface StatsStore {
  /** The counters whose names fall in any of the ranges, shards added. */
  counters(ranges: readonly NameRange[]): Promise<Map<string, number>>;
  /** Unsent mails with at least one failed attempt, and those of them given up on. */
  mailFailing(): Promise<{ failing: number; gaveUp: number }>;
  /** Accounts whose lockout lasts past `at`. */
  lockedAccounts(at: string): Promise<number>;
  /** A known account was locked until `until` (and locks over before `at` are forgotten). */
  noteLock(userId: string, until: string, at: string): Promise<void>;
  /** Deletes hourly and daily counters older than the names given. */
  sweep(hourBefore: string, dayBefore: string): Promise<void>;
}
