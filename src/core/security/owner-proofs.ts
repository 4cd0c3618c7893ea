import { AppError, WrongPasswordError, notFound } from '../errors.js';
import * as policy from '../policy.js';
import { addressOf } from '../rate-limit/address.js';
import { type Lockout, accountKey } from './lockout.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Storage } from '../storage.js';
import type { Principal } from '../types.js';

/** How a caller proves it owns the account it changes: its password, or a recent password login. */
export function ownerProofs(deps: {
  storage: Storage;
  hasher: PasswordHasher;
  lockout: Lockout;
  now: () => number;
  reauthWindow: number;
}) {
  /**
   * The caller proves it is the account's owner by its password (an old or
   * current one): checked against the per-account lockout first, and a wrong
   * one counts as a failed login of the account.
   */
  async function provePassword(actor: Principal, self: string, password: string, field: string, label: string) {
    const account = accountKey(self);
    const address = addressOf(actor.client?.ip ?? 'unknown');
    await deps.lockout.check(account, address, deps.now());
    const hash = await deps.storage.users.passwordHash(self);
    if (hash === undefined) throw notFound('User', self);
    if (hash === null || !(await deps.hasher.verify(hash, password, [address, account]))) {
      await deps.lockout.failed(account, deps.now());
      throw new WrongPasswordError(field, label);
    }
    await deps.lockout.succeeded(account, address, deps.now());
  }

  /**
   * Changing one's own password or email needs a recent password login
   * (a refresh does not count), or the current password: a stolen access
   * token alone cannot take the account over.
   */
  async function assertRecentlyAuthenticated(actor: Principal, currentPassword: string | undefined) {
    const self = policy.selfOf(actor);
    if (currentPassword !== undefined)
      return provePassword(actor, self, currentPassword, 'current_password', 'Current password');
    assertRecentSignIn(actor);
  }

  /** The caller signed in (password, or second factor) within the window; a key or a refreshed-only session has not. */
  function assertRecentSignIn(actor: Principal) {
    if (actor.authAt === null || deps.now() - actor.authAt > deps.reauthWindow * 1000)
      throw new AppError('REAUTHENTICATION_REQUIRED');
  }

  return { provePassword, assertRecentlyAuthenticated, assertRecentSignIn };
}
