import type { AuthEvent, EventBus } from './events.js';

/**
 * A short-lived read-through cache of this instance: per-request
 * authentication state (sessions, API keys) and live users read by id.
 * Entries live at most `ttlMs` (1 s by default): that is the longest another
 * instance can go on seeing a state changed elsewhere when no event reaches
 * it. Events from the bus, and this instance's own writes (`forget`), drop
 * entries at once.
 */
export class StateCache<T> {
  private readonly entries = new Map<string, { value: T | undefined; at: number }>();
  // Bumped on every drop: a load that started before a drop must not cache what it read.
  private generation = 0;

  constructor(
    private readonly load: (id: string) => Promise<T | undefined>,
    private readonly now: () => number,
    private readonly ttlMs = 1000,
    private readonly maxEntries = 50_000,
    /** Whether "not found" is remembered too (a session or key id is never reused; a user id may be imported later). */
    private readonly cacheMisses = true,
  ) {}

  async get(id: string): Promise<T | undefined> {
    const hit = this.entries.get(id);
    const now = this.now();
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const generation = this.generation;
    const value = await this.load(id);
    if (generation !== this.generation || (value === undefined && !this.cacheMisses)) return value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(id, { value, at: now });
    return value;
  }

  /** Drops `id` now, and keeps a read already under way from storing what it read before the change. */
  forget(id: string): void {
    this.generation++;
    this.entries.delete(id);
  }

  /**
   * Wires the cache to the bus. An event drops the entry stored under its id
   * (sessions are keyed by id). Only events of the `scanOn` kinds can touch
   * other entries, so only they walk the cache, dropping every entry
   * `affected` says they touch: a logout does not scan every cached session.
   */
  listen(bus: EventBus, scanOn: ReadonlyArray<AuthEvent['kind']>, affected: (value: T, event: AuthEvent) => boolean): void {
    bus.subscribe((event) => {
      this.forget(event.id);
      if (!scanOn.includes(event.kind)) return;
      for (const [key, entry] of this.entries) if (entry.value && affected(entry.value, event)) this.entries.delete(key);
    });
  }
}
