import { createHash } from 'node:crypto';
import { AppError } from './errors.js';
import type { Storage } from './storage.js';

/** How long a key and its answer are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** What to do with a request that carries an Idempotency-Key. */
export type IdempotencyStart = { kind: 'first'; scopeKey: string } | { kind: 'replay'; status: number; body: string };

export interface Idempotency {
  /**
   * The first request with this key (and scope) goes ahead; a retry with the
   * same body gets the first answer; a retry with another body is 422; a
   * retry while the first is still in flight is 409.
   */
  start(scope: string, key: string, body: unknown): Promise<IdempotencyStart>;
  finish(scopeKey: string, status: number, body: string): Promise<void>;
  /** The first request ended without an answer worth keeping (a server error): the key is free again. */
  abandon(scopeKey: string): Promise<void>;
  sweep(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

export function createIdempotency(storage: Storage, now: () => number): Idempotency {
  const iso = (ms = now()) => new Date(ms).toISOString();
  return {
    async start(scope, key, body) {
      const scopeKey = sha256(`${scope}\n${key}`);
      const requestHash = sha256(JSON.stringify(body ?? null));
      if (await storage.idempotency.claim(scopeKey, requestHash, iso(), iso(now() + IDEMPOTENCY_TTL_MS))) return { kind: 'first', scopeKey };
      const stored = await storage.idempotency.find(scopeKey);
      if (!stored) return this.start(scope, key, body);
      if (stored.requestHash !== requestHash) {
        throw new AppError('UNPROCESSABLE_ENTITY', 'This Idempotency-Key was used with another request body', { idempotency_key: key });
      }
      if (stored.status === null || stored.body === null) {
        throw new AppError('REQUEST_IN_PROGRESS', undefined, { idempotency_key: key });
      }
      return { kind: 'replay', status: stored.status, body: stored.body };
    },
    finish: (scopeKey, status, body) => storage.idempotency.complete(scopeKey, status, body),
    abandon: (scopeKey) => storage.idempotency.release(scopeKey),
    sweep: () => storage.idempotency.deleteExpired(iso()),
  };
}
