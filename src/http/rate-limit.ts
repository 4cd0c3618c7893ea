import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import { checkLimits, type RateLimitStore, type Rule } from '../core/rate-limit/rate-limit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'login': also the per-IP login limit; false: not limited (health probes). */
    rateLimit?: 'login' | false;
  }
}

const MINUTE = 60_000;
const SECOND = 1_000;

/** The rules one request counts against: per user or key when authenticated, else per IP; plus a burst and, on login routes, a login limit. */
export function rulesFor(request: FastifyRequest, limits: Config['rateLimit']): Rule[] {
  const p = request.principal;
  const who = p ? (p.apiKeyId ? `key:${p.apiKeyId}` : `user:${p.userId}`) : `ip:${request.ip}`;
  const rules: Rule[] = [
    { key: `rl:min:${who}`, limit: p ? limits.authPerMin : limits.anonPerMin, windowMs: MINUTE },
    { key: `rl:sec:${who}`, limit: limits.burstPerSec, windowMs: SECOND },
  ];
  if (request.routeOptions.config.rateLimit === 'login') {
    rules.push({ key: `rl:login:${request.ip}`, limit: limits.loginPerMin, windowMs: MINUTE });
  }
  return rules;
}

export function setRateLimitHeaders(reply: FastifyReply, v: { limit: number; remaining: number; resetAt: number }): void {
  reply.header('x-ratelimit-limit', v.limit);
  reply.header('x-ratelimit-remaining', v.remaining);
  reply.header('x-ratelimit-reset', Math.ceil(v.resetAt / 1000));
}

/** Counts every request (after its principal is known) and refuses with 429 past a limit. */
export function rateLimit(app: FastifyInstance, limits: Config['rateLimit'], store: RateLimitStore, now: () => number): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.rateLimit === false) return;
    const verdict = await checkLimits(store, rulesFor(request, limits), now());
    setRateLimitHeaders(reply, verdict);
    if (!verdict.allowed) {
      reply.header('retry-after', verdict.retryAfter);
      throw new AppError('RATE_LIMIT_EXCEEDED', undefined, { retry_after: verdict.retryAfter });
    }
  });
}
