/** One limit on one counter: `limit` hits per `windowMs` for `key`. */
export interface Rule {
  key: string;
  limit: number;
  windowMs: number;
  /**
   * What this request adds to the counter: 1 (the default), or 0 to only
   * check it (a counter of failures, which a later failure adds to).
   */
  cost?: 0 | 1;
}

export interface Counter {
  count: number;
  /** Epoch ms when this window ends and the counter starts again. */
  resetAt: number;
}

/**
 * Where counters live: in-process by default, Redis when instances share.
 * `hit` adds one to each rule's counter (a fixed window that starts at the
 * counter's first hit) and returns the counts after the hit.
 */
export interface RateLimitStore {
  hit(rules: readonly Rule[], now: number): Promise<Counter[]>;
  /** Forgets these counters (a window starts again at their next hit). */
  reset(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface Verdict {
  allowed: boolean;
  /** The rule closest to running out (or, when refused, the one that refuses longest). */
  limit: number;
  remaining: number;
  resetAt: number;
  /** Whole seconds until a refused request may be retried; 0 when allowed. */
  retryAfter: number;
}

/** Counts one request against every rule and decides. Pure apart from the store. */
export async function checkLimits(store: RateLimitStore, rules: readonly Rule[], now: number): Promise<Verdict> {
  const counters = await store.hit(rules, now);
  let chosen: Verdict | undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const counter = counters[i]!;
    // A check-only rule asks whether one more would still be within the limit.
    const count = counter.count + (rule.cost === 0 ? 1 : 0);
    const verdict: Verdict = {
      allowed: count <= rule.limit,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - count),
      resetAt: counter.resetAt,
      retryAfter: count <= rule.limit ? 0 : Math.max(1, Math.ceil((counter.resetAt - now) / 1000)),
    };
    if (!chosen) chosen = verdict;
    else if (!verdict.allowed || !chosen.allowed) {
      if (!verdict.allowed && (chosen.allowed || verdict.retryAfter > chosen.retryAfter)) chosen = verdict;
    } else if (verdict.remaining < chosen.remaining) chosen = verdict;
  }
  return chosen ?? { allowed: true, limit: 0, remaining: 0, resetAt: now, retryAfter: 0 };
}

export function createMemoryStore(): RateLimitStore {
  const counters = new Map<string, Counter>();
  // Expired windows are swept once a minute so idle keys (one per client IP) do not pile up.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, c] of counters) if (c.resetAt <= now) counters.delete(key);
  }, 60_000);
  sweep.unref();
  return {
    async hit(rules, now) {
      return rules.map((rule) => {
        let c = counters.get(rule.key);
        if (!c || c.resetAt <= now) {
          c = { count: 0, resetAt: now + rule.windowMs };
          counters.set(rule.key, c);
        }
        c.count += rule.cost ?? 1;
        return { count: c.count, resetAt: c.resetAt };
      });
    },
    async reset(keys) {
      for (const key of keys) counters.delete(key);
    },
    close: async () => clearInterval(sweep),
  };
}
