import type { Config } from '../config.js';
import { type EventBus, createLocalBus } from '../core/events.js';
import { type RateLimitStore, createMemoryStore } from '../core/rate-limit/rate-limit.js';
import { createRedisBus } from './redis-bus.js';
import { type Log, connectRedis } from './redis-connection.js';
import { createRedisRateLimitStore } from './redis-rate-limit.js';

export interface SharedState {
  rateLimitStore: RateLimitStore;
  bus: EventBus;
}

const LIMITS_DEGRADED = 'rate limits and account lockouts are counted per instance until it is back';
const EVENTS_DEGRADED = 'other instances learn of ended sessions and changed users from the database, within 1 s';

/**
 * What instances share: rate-limit counters and the event bus. Given ones
 * (tests) come first; then Redis when REDIS_URL is set; else both stay in
 * this process. Waits until Redis has answered or failed once, never longer:
 * a dead Redis degrades the service but does not stop it starting.
 */
export async function sharedState(config: Config, log: Log, given: Partial<SharedState> = {}): Promise<SharedState> {
  const url = config.redisUrl;
  if (!url) return { rateLimitStore: given.rateLimitStore ?? createMemoryStore(), bus: given.bus ?? createLocalBus() };
  const prefix = config.redisPrefix;
  // With rate limiting and lockout both off the store is never asked, so it needs no connection.
  const needed = config.rateLimit.enabled || config.lockout.enabled;
  const store =
    given.rateLimitStore || !needed
      ? undefined
      : createRedisRateLimitStore(connectRedis(url, { name: 'rate-limit', consequence: LIMITS_DEGRADED, log }), prefix);
  const bus = given.bus
    ? undefined
    : createRedisBus(
        connectRedis(url, { name: 'events-publish', consequence: EVENTS_DEGRADED, log }),
        connectRedis(url, { name: 'events-subscribe', consequence: EVENTS_DEGRADED, log, subscriber: true }),
        prefix,
      );
  await Promise.all([store?.settled, bus?.settled]);
  return { rateLimitStore: given.rateLimitStore ?? store ?? createMemoryStore(), bus: given.bus ?? bus! };
}
