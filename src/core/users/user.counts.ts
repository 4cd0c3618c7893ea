import type { UserFilter } from '../storage.js';
import type { Role, Status, User } from '../types.js';
import { matchesSearch, searchText } from './search-rule.js';

/** The filters a list total depends on. */
export type CountFilter = UserFilter;

/** What a user contributes to totals. */
export interface Countable {
  status: Status;
  role: Role;
  searchText: string;
}

export const countable = (u: User): Countable => ({
  status: u.status,
  role: u.role,
  searchText: searchText(u),
});

const matches = (f: CountFilter, u: Countable): boolean =>
  (f.status === undefined || f.status === u.status) &&
  (f.role === undefined || f.role === u.role) &&
  (f.search === undefined || matchesSearch(u.searchText, f.search));

/**
 * List totals, counted at most once per `ttlMs` per filter: counting a million
 * rows on every page would cost more than the page. Writes made through this
 * instance adjust every cached total they move at once (a user is matched
 * against each cached filter), so totals here are exact; another instance's
 * writes show within `ttlMs` and one count. One count per filter runs at a
 * time, shared by every caller; past `ttlMs` (up to three times it, should
 * counts fail) the total it had is answered while that count runs: counting
 * a million rows takes seconds under load, and a page must not wait for it,
 * nor every page hold a database connection for it.
 */
export class CountCache {
  private readonly entries = new Map<string, { n: number; at: number; filter: CountFilter }>();
  private readonly counting = new Map<string, Promise<number>>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 10_000,
    private readonly max = 1000,
  ) {}

  async get(filter: CountFilter, count: () => Promise<number>): Promise<number> {
    const key = JSON.stringify([filter.status, filter.role, filter.search?.toLowerCase()]);
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.n;
    const pending = this.counting.get(key) ?? this.recount(key, filter, count);
    // Never a total from long ago: when counts keep failing, callers wait for one and hear its error.
    return hit && this.now() - hit.at < 3 * this.ttlMs ? hit.n : pending;
  }

  private recount(key: string, filter: CountFilter, count: () => Promise<number>): Promise<number> {
    const at = this.now();
    const pending = count().then((n) => {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(key, { n, at, filter });
      return n;
    });
    this.counting.set(key, pending);
    // Also the rejection's handler when no caller waits (a past total was answered); the next caller counts again.
    const done = () => void this.counting.delete(key);
    pending.then(done, done);
    return pending;
  }

  /** A user was created (no `before`), changed, or deleted (no `after`) through this instance. */
  adjust(before: Countable | undefined, after: Countable | undefined): void {
    for (const entry of this.entries.values()) {
      entry.n += (after && matches(entry.filter, after) ? 1 : 0) - (before && matches(entry.filter, before) ? 1 : 0);
    }
  }
}
