import type { AuthEvent, EventBus } from './events.js';

interface Entry<T> {
  value: T | undefined;
  at: number;
}

/**
 * A short-lived read-through cache of this instance: per-request
 * authentication state (sessions, API keys) and live users read by id.
 * Entries live at most `ttlMs` (1 s by default): that is the longest another
 * instance can go on seeing a state changed elsewhere when no event reaches
 * it. Events from the bus, and this instance's own writes (`forget`), drop
 * entries at once.
 */
export class StateCache<T> {
  // Two generations: entries are written to `current`; every `ttlMs` it becomes `previous` and the old
  // `previous` is dropped whole. An entry is thus gone between one and two TTLs after it was read, so
  // the cache holds only what was used in the last two seconds (not everything ever read, until full).
  private current = new Map<string, Entry<T>>();
  private previous = new Map<string, Entry<T>>();
  private rotatedAt = -Infinity;
  // Bumped on every drop: a load that started before a drop must not cache what it read.
  private generation = 0;
  /** Reads served from the cache, and reads that loaded (the metrics' hit ratio). */
  hits = 0;
  misses = 0;

  constructor(
    private readonly load: (id: string) => Promise<T | undefined>,
    private readonly now: () => number,
    private readonly ttlMs = 1000,
    /** Entries one generation may hold; a full one is rotated out early. */
    private readonly maxEntries = 20_000,
    /** Whether "not found" is remembered too (a session or key id is never reused; a user id may be imported later). */
    private readonly cacheMisses = true,
  ) {}

  async get(id: string): Promise<T | undefined> {
    const now = this.now();
    if (now - this.rotatedAt >= this.ttlMs) this.rotate(now);
    const hit = this.current.get(id) ?? this.previous.get(id);
    if (hit && now - hit.at < this.ttlMs) {
      this.hits++;
      return hit.value;
    }
    this.misses++;
    const generation = this.generation;
    const value = await this.load(id);
    if (generation !== this.generation || (value === undefined && !this.cacheMisses)) return value;
    if (this.current.size >= this.maxEntries) this.rotate(now);
    this.current.set(id, { value, at: now });
    return value;
  }

  /** Entries held now (both generations; an id may be in both). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private rotate(now: number): void {
    // After a quiet spell longer than two TTLs, everything held is stale.
    this.previous = now - this.rotatedAt >= 2 * this.ttlMs ? new Map() : this.current;
    this.current = new Map();
    this.rotatedAt = now;
  }

  /** Drops `id` now, and keeps a read already under way from storing what it read before the change. */
  forget(id: string): void {
    this.generation++;
    this.current.delete(id);
    this.previous.delete(id);
  }

  /**
   * Wires the cache to the bus. An event drops the entry stored under its id
   * (sessions are keyed by id). Only events of the `scanOn` kinds can touch
   * other entries, so only they walk the cache, dropping every entry
   * `affected` says they touch: a logout does not scan every cached session.
   */
  listen(
    bus: EventBus,
    scanOn: ReadonlyArray<AuthEvent['kind']>,
    affected: (value: T, event: AuthEvent) => boolean,
  ): void {
    bus.subscribe((event) => {
      this.forget(event.id);
      if (!scanOn.includes(event.kind)) return;
      for (const entries of [this.current, this.previous])
        for (const [key, entry] of entries) if (entry.value && affected(entry.value, event)) entries.delete(key);
    });
  }
}
