import type { Result } from 'ioredis';
import { type RateLimitStore, createMemoryStore } from '../core/rate-limit/rate-limit.js';
import type { RedisConnection } from './redis-connection.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    usherRateLimitHit(numKeys: number, ...keysThenWindows: Array<string | number>): Result<number[], Context>;
  }
}

/**
 * Every rule of one request in one round trip, atomically: INCRBY its cost
 * (0 reads the counter), then PEXPIRE only when the counter has no expiry yet
 * (its first hit opens the window), then the time left. ARGV holds the
 * windows, then the costs. Returns count, ms left, count, ms left, ...
 * ioredis sends it by EVALSHA and falls back to EVAL once if Redis lost it.
 */
const HIT = `
local out = {}
local n = #KEYS
for i, key in ipairs(KEYS) do
  local count = redis.call('INCRBY', key, ARGV[n + i])
  local left = redis.call('PTTL', key)
  if left < 0 then
    left = tonumber(ARGV[i])
    redis.call('PEXPIRE', key, left)
  end
  out[2 * i - 1] = count
  out[2 * i] = left
end
return out
`;

export interface RedisRateLimitStore extends RateLimitStore {
  readonly settled: Promise<void>;
}

/**
 * Counters shared by every instance, under `prefix`. When Redis fails (down,
 * or slower than the command timeout) the request is counted in this
 * instance's own memory instead: limits then hold per instance, so N
 * instances allow up to N times the limit until Redis is back. Failing open
 * entirely would drop the login brute-force limit; failing closed would turn
 * a cache outage into a full outage.
 */
export function createRedisRateLimitStore(connection: RedisConnection, prefix: string): RedisRateLimitStore {
  const { client } = connection;
  client.defineCommand('usherRateLimitHit', { lua: HIT });
  const fallback = createMemoryStore();
  return {
    settled: connection.settled,
    async hit(rules, now) {
      if (rules.length === 0) return [];
      try {
        const reply = await client.usherRateLimitHit(
          rules.length,
          ...rules.map((r) => prefix + r.key),
          ...rules.map((r) => r.windowMs),
          ...rules.map((r) => r.cost ?? 1),
        );
        return rules.map((_, i) => ({ count: reply[2 * i]!, resetAt: now + reply[2 * i + 1]! }));
      } catch (error) {
        connection.failed(error);
        return fallback.hit(rules, now);
      }
    },
    async reset(keys) {
      if (keys.length === 0) return;
      await fallback.reset(keys);
      try {
        await client.del(...keys.map((k) => prefix + k));
      } catch (error) {
        connection.failed(error);
      }
    },
    async close() {
      await fallback.close();
      await connection.close();
    },
  };
}
