import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../core/core.js';
import { validationError } from '../core/errors.js';
import { type IdempotencyTicket, isKept } from '../core/idempotency.js';
import { addressOf } from '../core/rate-limit/address.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that creates something: honours `Idempotency-Key` (safe retries). */
    idempotent?: boolean;
    /** Set at registration: the dotted paths of the secrets its success answers (`x-secret` in the response schema). */
    idempotentSecrets?: string[];
  }
  interface FastifyRequest {
    /** The key's row while this request is the first with its Idempotency-Key. */
    idempotencyTicket: IdempotencyTicket | null;
  }
}

/** The schema keyword marking a secret an answer shows once: never stored for a retry. */
export const SECRET = 'x-secret';

/**
 * A secret shown only in the answer that made it: a replay of that answer
 * (`Idempotent-Replayed: true`) has null here, and `Idempotent-Secret-Withheld` names it.
 */
export const ShownOnce = (description: string) =>
  Type.Union([Type.String(), Type.Null()], {
    description: `${description}. Shown once: null in a replay of this answer (Idempotent-Replayed), which never carries the secret again`,
    [SECRET]: true,
  });

/** The dotted paths of the properties marked `x-secret` in a schema (through objects and allOf/anyOf/oneOf). */
export function secretPaths(schema: unknown, at = ''): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  if (s[SECRET] === true) return [at];
  const found: string[] = [];
  for (const [name, property] of Object.entries((s.properties ?? {}) as Record<string, unknown>))
    found.push(...secretPaths(property, at ? `${at}.${name}` : name));
  for (const list of ['allOf', 'anyOf', 'oneOf'])
    for (const part of (s[list] ?? []) as unknown[]) found.push(...secretPaths(part, at));
  return [...new Set(found)];
}

/** The answer as it may be stored: each secret replaced by null. */
export function withheld(payload: string, paths: readonly string[]): string {
  if (paths.length === 0) return payload;
  const answer = JSON.parse(payload) as Record<string, unknown>;
  for (const path of paths) {
    const names = path.split('.');
    const last = names.pop()!;
    let node: unknown = answer;
    for (const name of names)
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[name] : undefined;
    if (node !== null && typeof node === 'object' && last in node) (node as Record<string, unknown>)[last] = null;
  }
  return JSON.stringify(answer);
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Whose key it is: the caller (user or API key), or the address for anonymous requests. */
const callerOf = (request: FastifyRequest): string => {
  const p = request.principal;
  return p ? (p.apiKeyId ? `key:${p.apiKeyId}` : `user:${p.userId}`) : `ip:${addressOf(request.ip)}`;
};

/**
 * Safe retries of creating POSTs: the first request with an `Idempotency-Key`
 * runs; its answer, if a success, is stored in the database for 24 hours
 * (secrets withheld) and replayed, with `Idempotent-Replayed: true`, to a
 * retry with the same key and body, without a second write. A refusal is not
 * stored (the key is free again). Another body with the same key is 422; a
 * retry while the first is in flight is 409.
 */
export function idempotentPosts(app: FastifyInstance, core: Core): void {
  app.decorateRequest('idempotencyTicket', null);
  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotent) return;
    const successes = Object.entries((route.schema?.response ?? {}) as Record<string, TSchema>).filter(([status]) =>
      isKept(Number(status)),
    );
    route.config = {
      ...route.config,
      idempotentSecrets: [...new Set(successes.flatMap(([, schema]) => secretPaths(schema)))],
    };
  });
  app.addHook('preHandler', (request, reply, done) => {
    const key = request.headers['idempotency-key'];
    const config = request.routeOptions.config;
    if (key === undefined || !config.idempotent) return done();
    if (typeof key !== 'string' || !KEY.test(key)) {
      return done(
        validationError({ 'Idempotency-Key': 'Must be 1-255 visible ASCII characters' }, undefined, 'request'),
      );
    }
    core.idempotency
      .start(callerOf(request), `${request.method} ${request.routeOptions.url}`, key, request.body)
      .then((start) => {
        if (start.kind === 'first') {
          request.idempotencyTicket = start.ticket;
          return done();
        }
        const secrets = config.idempotentSecrets ?? [];
        if (secrets.length > 0) reply.header('idempotent-secret-withheld', secrets.join(', '));
        reply
          .code(start.status)
          .type('application/json; charset=utf-8')
          .header('idempotent-replayed', 'true')
          .send(start.body);
      }, done);
  });
  // Not async: every other request leaves at the first line without a promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    const ticket = request.idempotencyTicket;
    if (ticket === null) return done(null, payload);
    request.idempotencyTicket = null;
    const kept = isKept(reply.statusCode) && typeof payload === 'string';
    const stored = kept
      ? core.idempotency.finish(
          ticket,
          reply.statusCode,
          withheld(payload, request.routeOptions.config.idempotentSecrets ?? []),
        )
      : core.idempotency.abandon(ticket);
    stored.then(() => done(null, payload), done);
  });
}
