import { AppError } from '../errors.js';
import type { Stores } from '../storage.js';

/** What a removal takes away from a user's ways to sign in. */
export type Removing = { passkey: true } | { identity: true } | { password: true };

/**
 * The rule that a user keeps a way to sign in: a password, a passkey, or a
 * linked upstream account. Removing one of them (in the caller's
 * transaction, so two removals at once cannot both pass) is refused (422)
 * when it is the last. Email sign-in is not counted: it can be switched off,
 * and it cannot be the only thing standing between an account and its owner.
 */
export async function assertAnotherWay(s: Stores, userId: string, removing: Removing): Promise<void> {
  const hasPassword = Boolean(await s.users.passwordHash(userId));
  const passkeys = await s.passkeys.countOf(userId);
  const identities = await s.identities.countOf(userId);
  const left =
    (hasPassword && !('password' in removing) ? 1 : 0) +
    passkeys -
    ('passkey' in removing ? 1 : 0) +
    identities -
    ('identity' in removing ? 1 : 0);
  if (left < 1)
    throw new AppError(
      'UNPROCESSABLE_ENTITY',
      "This is the account's last way to sign in: add another before removing it",
      {
        reason: 'last_sign_in_method',
      },
    );
}
