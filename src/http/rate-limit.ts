import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError, WrongPasswordError } from '../core/errors.js';
import { addressOf } from '../core/rate-limit/address.js';
import { checkLimits, type RateLimitStore, type Rule } from '../core/rate-limit/rate-limit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'login': also the per-address login limit. 'register': creates an
     * account, so counted per address even for a signed-in caller (unless
     * admin or moderator). 'password': a body with `old_password` or
     * `current_password` is refused once the address has spent its login
     * limit, and a wrong one spends it. 'mail': asks for a mailed code or
     * submits one, so counted per address (the login limit); the limit per
     * recipient is the core's (core/account/mail-quota.ts: over it nothing
     * is mailed, the answer is the same). false: not limited (health probes).
     */
    rateLimit?: 'login' | 'register' | 'password' | 'mail' | false;
  }
}

const MINUTE = 60_000;
const SECOND = 1_000;

const loginRule = (address: string, limits: Config['rateLimit'], cost: 0 | 1): Rule => ({
  key: `rl:login:${address}`,
  limit: limits.loginPerMin,
  windowMs: MINUTE,
  cost,
});

/**
 * The rules one request counts against: per user or key when authenticated, else per address; plus a burst, and the
 * route's own.
 */
export function rulesFor(request: FastifyRequest, limits: Config['rateLimit']): Rule[] {
  const p = request.principal;
  const address = addressOf(request.ip);
  const who = p ? (p.apiKeyId ? `key:${p.apiKeyId}` : `user:${p.userId}`) : `ip:${address}`;
  const rules: Rule[] = [
    { key: `rl:min:${who}`, limit: p ? limits.authPerMin : limits.anonPerMin, windowMs: MINUTE },
    { key: `rl:sec:${who}`, limit: limits.burstPerSec, windowMs: SECOND },
  ];
  const kind = request.routeOptions.config.rateLimit;
  if (kind === 'login' || kind === 'mail') rules.push(loginRule(address, limits, 1));
  else if (kind === 'register' && p && p.role === 'user')
    rules.push({ key: `rl:min:ip:${address}`, limit: limits.anonPerMin, windowMs: MINUTE });
  return rules;
}

/** The rule a route counts once its body is known: password checks against the address's login limit. */
function bodyRule(request: FastifyRequest, limits: Config['rateLimit']): Rule | undefined {
  if (request.routeOptions.config.rateLimit !== 'password') return undefined;
  const body = request.body as Record<string, unknown> | undefined;
  if (body?.old_password === undefined && body?.current_password === undefined) return undefined;
  return loginRule(addressOf(request.ip), limits, 0);
}

export function setRateLimitHeaders(
  reply: FastifyReply,
  v: { limit: number; remaining: number; resetAt: number },
): void {
  reply.header('x-ratelimit-limit', v.limit);
  reply.header('x-ratelimit-remaining', v.remaining);
  reply.header('x-ratelimit-reset', Math.ceil(v.resetAt / 1000));
}

/**
 * Counts every request (after its principal is known) and refuses with 429
 * past a limit; a wrong old or current password counts as a failed login of
 * the address it came from.
 */
export function rateLimit(
  app: FastifyInstance,
  limits: Config['rateLimit'],
  store: RateLimitStore,
  now: () => number,
): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.rateLimit === false) return;
    const verdict = await checkLimits(store, rulesFor(request, limits), now());
    setRateLimitHeaders(reply, verdict);
    if (!verdict.allowed) throw new AppError('RATE_LIMIT_EXCEEDED', undefined, { retry_after: verdict.retryAfter });
  });
  // Not async: most requests leave at the first line without a promise.
  app.addHook('preHandler', (request, reply, done) => {
    const rule = bodyRule(request, limits);
    if (!rule) return done();
    checkLimits(store, [rule], now()).then((verdict) => {
      if (verdict.allowed) return done();
      setRateLimitHeaders(reply, verdict);
      done(new AppError('RATE_LIMIT_EXCEEDED', undefined, { retry_after: verdict.retryAfter }));
    }, done);
  });
  app.addHook('onError', async (request, _reply, error) => {
    if (error instanceof WrongPasswordError) await store.hit([loginRule(addressOf(request.ip), limits, 1)], now());
  });
}
