import { createHash } from 'node:crypto';
import { AppError } from './errors.js';
import type { Storage } from './storage.js';

/** How long a key and its answer are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/**
 * At most this many keys are kept per caller (user, API key or address): a
 * caller's newest stored answer evicts its oldest beyond this bound, so a
 * retry stays safe within the caller's last 1,000 keyed creations and 24 h.
 */
export const IDEMPOTENCY_KEYS_PER_CALLER = 1_000;

/** The key's row while its first request runs. */
export interface IdempotencyTicket {
  scopeKey: string;
  caller: string;
}

/** What to do with a request that carries an Idempotency-Key. */
export type IdempotencyStart =
  | { kind: 'first'; ticket: IdempotencyTicket }
  | { kind: 'replay'; status: number; body: string };

export interface Idempotency {
  /**
   * The first request with this key (from this caller, on this route) goes
   * ahead; a retry with the same body gets the first answer; a retry with
   * another body is 422; a retry while the first is still in flight is 409.
   */
  start(caller: string, route: string, key: string, body: unknown): Promise<IdempotencyStart>;
  /**
   * The first request's answer. Only a success (2xx) is kept for retries: a
   * refusal changed nothing, so a retry may simply run again, and the key is
   * free. `body` must hold no secret (the HTTP layer withholds them).
   */
  finish(ticket: IdempotencyTicket, status: number, body: string): Promise<void>;
  /** The first request ended without an answer to keep: the key is free again. */
  abandon(ticket: IdempotencyTicket): Promise<void>;
  sweep(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

export const isKept = (status: number): boolean => status >= 200 && status < 300;

export function createIdempotency(storage: Storage, now: () => number): Idempotency {
  const iso = (ms = now()) => new Date(ms).toISOString();
  const store = storage.idempotency;
  return {
    async start(caller, route, key, body) {
      const ticket = { scopeKey: sha256(`${caller}\n${route}\n${key}`), caller: sha256(caller) };
      const requestHash = sha256(JSON.stringify(body ?? null));
      if (await store.claim(ticket.scopeKey, ticket.caller, requestHash, iso(), iso(now() + IDEMPOTENCY_TTL_MS)))
        return { kind: 'first', ticket };
      const stored = await store.find(ticket.scopeKey);
      if (!stored) return this.start(caller, route, key, body);
      if (stored.requestHash !== requestHash) {
        throw new AppError('UNPROCESSABLE_ENTITY', 'This Idempotency-Key was used with another request body', {
          idempotency_key: key,
        });
      }
      if (stored.status === null || stored.body === null) {
        throw new AppError('REQUEST_IN_PROGRESS', undefined, { idempotency_key: key });
      }
      return { kind: 'replay', status: stored.status, body: stored.body };
    },
    async finish(ticket, status, body) {
      if (!isKept(status)) return store.release(ticket.scopeKey);
      await store.complete(ticket.scopeKey, status, body);
      await store.trim(ticket.caller, IDEMPOTENCY_KEYS_PER_CALLER);
    },
    abandon: (ticket) => store.release(ticket.scopeKey),
    sweep: () => store.deleteExpired(iso()),
  };
}
