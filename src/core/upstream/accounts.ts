import { auditEvent } from '../audit.js';
import { AppError, type FieldErrors } from '../errors.js';
import { randomBytes } from 'node:crypto';
import type { IdentityProvider, Storage, Stores } from '../storage.js';
import type { ClientInfo, User } from '../types.js';
import type { UserService } from '../users/user.service.js';
import { LIMITS, checkEmail } from '../users/user.rules.js';
import type { Profile } from './upstream.types.js';

/** A refusal shown on the callback's page (nothing changed). */
export const refused = (message: string, reason: string): AppError =>
  new AppError('UNPROCESSABLE_ENTITY', message, { reason });

/**
 * The provider's address as Usher keeps addresses, or none: valid by the
 * users' rule (ASCII), then lower case. An address NFKC would change
 * (fullwidth letters, the Kelvin sign that lower-cases to `k`…) is not the
 * mailbox the provider verified, and is never folded into another's: it
 * counts as no address, as an invalid one does.
 */
export function cleanEmail(raw: string | null): string | null {
  if (raw === null || raw.normalize('NFKC') !== raw) return null;
  const errors: FieldErrors = {};
  checkEmail(errors, raw);
  return errors.email ? null : raw.toLowerCase();
}

/** The profile with its address cleaned (`cleanEmail`); no address is never a verified one. */
export function cleanProfile(profile: Profile): Profile {
  const email = cleanEmail(profile.email);
  return { ...profile, email, emailVerified: email !== null && profile.emailVerified };
}

/** A username from what the provider calls the person: letters, digits, `_` and `-`, 3-50, made unique by a suffix. */
export function usernameBase(profile: Profile): string {
  const raw = profile.username ?? profile.email?.split('@')[0] ?? 'user';
  let name = raw.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[_-]+|[_-]+$/g, '');
  if (name.length < LIMITS.usernameMin) name = `${name || 'user'}_${randomBytes(2).toString('hex')}`;
  return name.slice(0, LIMITS.usernameMax - 5);
}

/** The identity link's write and its audit event (in the caller's transaction). */
export async function linkIdentity(
  s: Stores,
  p: IdentityProvider,
  profile: Profile,
  user: User,
  client: ClientInfo,
  at: string,
  how: string,
) {
  await s.identities.insert({
    providerId: p.id,
    subject: profile.subject,
    userId: user.id,
    email: profile.email,
    linkedAt: at,
  });
  await s.audit.record(
    auditEvent(
      { actorId: user.id, client },
      { type: 'identity.linked', targetId: user.id, details: { provider_id: p.id, provider_type: p.type, how } },
      at,
    ),
  );
}

/**
 * Who an upstream sign-in is: the user its (provider, subject) is linked to;
 * else the user with the same email, linked now only when the provider
 * vouches for the address and the user has verified it too; else, with
 * `auto_create` and an address the provider verified, a new user (no
 * password, the address verified) linked to it. Anything else is refused and
 * changes nothing. `admit` (who may sign in here: status, the console's
 * staff) judges an existing user before anything is linked to it.
 */
export async function resolveUser(
  o: { storage: Storage; users: UserService; now: () => number },
  p: IdentityProvider,
  profile: Profile,
  client: ClientInfo,
  admit: (user: User) => void,
): Promise<User> {
  const at = () => new Date(o.now()).toISOString();
  const linked = await o.storage.identities.find(p.id, profile.subject);
  if (linked) {
    const user = await o.storage.users.byId(linked.userId);
    if (!user) throw refused('This account is no longer available.', 'user_gone');
    admit(user);
    return user;
  }
  if (profile.email) {
    const existing = await o.users.lookup({ email: profile.email });
    if (existing) {
      if (!profile.emailVerified || !existing.emailVerified)
        throw refused(
          `An account with this email address exists already. Sign in to it another way, then link ${p.displayName} from your account.`,
          'email_not_verified_for_linking',
        );
      admit(existing);
      await o.storage.transaction((s) => linkIdentity(s, p, profile, existing, client, at(), 'verified_email'));
      return existing;
    }
  }
  if (!p.autoCreate)
    throw refused(
      `No account is linked to this ${p.displayName} account, and new accounts are not made from it.`,
      'no_account',
    );
  if (!profile.email) throw refused(`${p.displayName} did not share an email address.`, 'no_email');
  // An address the provider has not verified may be someone else's: an account made from it would be theirs to
  // claim later (verify-email, email sign-in, reset) while this identity kept its way in.
  if (!profile.emailVerified)
    throw refused(
      `${p.displayName} has not verified your email address, so no account is made from it. Sign in another way (or sign up), then link ${p.displayName} from My account.`,
      'email_not_verified',
    );
  const base = usernameBase(profile);
  for (let attempt = 0; ; attempt++) {
    const username = attempt === 0 ? base : `${base}-${randomBytes(2).toString('hex')}`;
    if (attempt < 4 && (await o.users.lookup({ username }))) continue;
    try {
      return await o.users.create(
        null,
        {
          username,
          email: profile.email,
          firstName: profile.firstName?.slice(0, LIMITS.nameMax),
          lastName: profile.lastName?.slice(0, LIMITS.nameMax),
        },
        {
          client,
          upstream: {
            within: (s, user) => linkIdentity(s, p, profile, user, client, at(), 'created'),
          },
        },
      );
    } catch (error) {
      const field = error instanceof AppError && error.code === 'DUPLICATE_RESOURCE' ? error.details?.field : undefined;
      if (field === 'username' && attempt < 5) continue;
      if (field === 'email')
        throw refused('An account with this email address exists already.', 'email_not_verified_for_linking');
      if (error instanceof AppError && error.code === 'VALIDATION_ERROR')
        throw refused(`${p.displayName} shared a name or email Usher cannot use.`, 'profile_invalid');
      throw error;
    }
  }
}
