import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../core/core.js';
import { validationError } from '../core/errors.js';
import { addressOf } from '../core/rate-limit/address.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that creates something: honours `Idempotency-Key` (safe retries). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The key's scope while this request is the first with its Idempotency-Key. */
    idempotencyScope: string | null;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Whose key it is: the caller (user or API key), or the address for anonymous requests, on this route. */
const scopeOf = (request: FastifyRequest): string => {
  const p = request.principal;
  const who = p ? (p.apiKeyId ? `key:${p.apiKeyId}` : `user:${p.userId}`) : `ip:${addressOf(request.ip)}`;
  return `${who}\n${request.method} ${request.routeOptions.url}`;
};

/**
 * Safe retries of creating POSTs: the first request with an `Idempotency-Key`
 * runs; its answer (anything but a server error) is stored in the database
 * for 24 hours and replayed, with `Idempotent-Replayed: true`, to a retry
 * with the same key and body, without a second write. Another body with the
 * same key is 422; a retry while the first is in flight is 409.
 */
export function idempotentPosts(app: FastifyInstance, core: Core): void {
  app.decorateRequest('idempotencyScope', null);
  app.addHook('preHandler', (request, reply, done) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !request.routeOptions.config.idempotent) return done();
    if (typeof key !== 'string' || !KEY.test(key)) {
      return done(validationError({ 'Idempotency-Key': 'Must be 1-255 visible ASCII characters' }, undefined, 'request'));
    }
    core.idempotency.start(scopeOf(request), key, request.body).then((start) => {
      if (start.kind === 'first') {
        request.idempotencyScope = start.scopeKey;
        return done();
      }
      reply.code(start.status).type('application/json; charset=utf-8').header('idempotent-replayed', 'true').send(start.body);
    }, done);
  });
  // Not async: every other request leaves at the first line without a promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    const scope = request.idempotencyScope;
    if (scope === null) return done(null, payload);
    request.idempotencyScope = null;
    const stored = reply.statusCode >= 500 || typeof payload !== 'string' ? core.idempotency.abandon(scope) : core.idempotency.finish(scope, reply.statusCode, payload);
    stored.then(() => done(null, payload), done);
  });
}
