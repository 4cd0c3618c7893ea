import type { LockoutSettings } from '../../config.js';
import { AppError } from '../errors.js';
import type { RateLimitStore } from '../rate-limit/rate-limit.js';

/**
 * Per-account protection against password guessing, whatever the source
 * address: after `threshold` failures in the window the account's password
 * checks answer 429 with Retry-After for a lock that grows with each repeat.
 * An address that has logged in to the account before keeps a small
 * allowance of its own, so an attacker cannot lock the real user out. A
 * success clears the count. Counters live in the rate-limit store (Redis when
 * configured, so every instance shares them). Accounts are keys the caller
 * chooses: the user's id for a known account, the typed name otherwise (so an
 * unknown name locks the same way and tells nothing).
 */
export interface Lockout {
  /** Before a password is checked: throws 429 while the account is locked (unless this address has allowance left). */
  check(account: string, address: string, now: number): Promise<void>;
  failed(account: string, now: number): Promise<void>;
  succeeded(account: string, address: string, now: number): Promise<void>;
}

/**
 * The lockout's key for a known account: wrong passwords (at login or as an owner proof) and wrong second factors all
 * count under it.
 */
export const accountKey = (userId: string): string => `user:${userId}`;

const DAY = 86_400_000;
const KNOWN_FOR = 30 * DAY;

/** Told when an account's lock starts and when a success lifts a live one (the dashboard's "locked now"). */
export interface LockWatcher {
  locked(account: string, untilMs: number, now: number): Promise<void>;
  lifted(account: string): Promise<void>;
}

export function createLockout(store: RateLimitStore, o: LockoutSettings, watcher?: LockWatcher): Lockout {
  const keys = (account: string) => ({
    fail: `lo:fail:${account}`,
    lock: `lo:lock:${account}`,
    level: `lo:level:${account}`,
  });
  const known = (account: string, address: string) => `lo:known:${account}:${address}`;
  const locked = (retryAfterMs: number) =>
    new AppError('RATE_LIMIT_EXCEEDED', 'Too many failed attempts for this account; try again later', {
      retry_after: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    });

  if (!o.enabled) return { check: async () => {}, failed: async () => {}, succeeded: async () => {} };
  return {
    async check(account, address, now) {
      const k = keys(account);
      const [lock, wasHere] = await store.hit(
        [
          { key: k.lock, limit: 0, windowMs: DAY, cost: 0 },
          { key: known(account, address), limit: 0, windowMs: KNOWN_FOR, cost: 0 },
        ],
        now,
      );
      if (!lock || lock.count === 0 || lock.resetAt <= now) return;
      if (wasHere && wasHere.count > 0) {
        const [allowance] = await store.hit(
          [
            {
              key: `lo:allow:${account}:${address}:${lock.resetAt}`,
              limit: o.knownAllowance,
              windowMs: lock.resetAt - now,
            },
          ],
          now,
        );
        if (allowance && allowance.count <= o.knownAllowance) return;
      }
      throw locked(lock.resetAt - now);
    },

    async failed(account, now) {
      const k = keys(account);
      const [fails] = await store.hit([{ key: k.fail, limit: o.threshold, windowMs: o.windowSeconds * 1000 }], now);
      if (!fails || fails.count < o.threshold) return;
      const [level] = await store.hit([{ key: k.level, limit: 0, windowMs: DAY }], now);
      const ms = Math.min(o.lockSeconds * 1000 * 2 ** ((level?.count ?? 1) - 1), o.maxLockSeconds * 1000);
      await store.reset([k.fail, k.lock]);
      await store.hit([{ key: k.lock, limit: 0, windowMs: ms }], now);
      await watcher?.locked(account, now + ms, now);
    },

    async succeeded(account, address, now) {
      const k = keys(account);
      // The lock's state comes with the address's mark (no extra round trip): a live lock lifted is told.
      const [lock] = await store.hit(
        [
          { key: k.lock, limit: 0, windowMs: DAY, cost: 0 },
          { key: known(account, address), limit: 0, windowMs: KNOWN_FOR },
        ],
        now,
      );
      await store.reset([k.fail, k.lock, k.level]);
      if (lock && lock.count > 0 && lock.resetAt > now) await watcher?.lifted(account);
    },
  };
}
