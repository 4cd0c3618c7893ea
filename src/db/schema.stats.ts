/** The dashboard's tables (migration 0015). */

export interface StatsCountersTable {
  name: string;
  shard: number;
  /** bigint: a string from PostgreSQL, a number from SQLite. */
  count: number | string | bigint;
}

export interface AccountLocksTable {
  user_id: string;
  locked_until: string;
}

export interface StatsSchema {
  stats_counters: StatsCountersTable;
  account_locks: AccountLocksTable;
}
