import { type CodeSettings, sendCode } from '../account/codes.js';
import { auditEvent, sourceOf } from '../audit.js';
import { nextCustomData } from '../custom-data/custom-data.changes.js';
import type { CompiledUserSchema } from '../custom-data/user-schema.js';
import { forbidden, validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import * as policy from '../policy.js';
import { addressOf } from '../rate-limit/address.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { PasswordStrength } from '../security/password-strength.js';
import type { Storage } from '../storage.js';
import { DEFAULT_PREFERENCES, type Principal, type User } from '../types.js';
import { type Countable, countable } from './user.counts.js';
import type { CreateOptions, NewUser } from './user.types.js';
import { assertNotTaken } from './user.writes.js';
import { checkUserFields, failIfInvalid } from './user.rules.js';

export interface CreatorDeps {
  storage: Storage;
  hasher: PasswordHasher;
  strength: PasswordStrength;
  now: () => number;
  /** How verification codes are made and mailed. */
  codes: CodeSettings;
  /** Keeps cached totals exact. */
  adjust(before: Countable | undefined, after: Countable | undefined): void;
  /** The current user schema, which custom_data must match. */
  userSchema: { current(): Promise<CompiledUserSchema | null> };
}

/**
 * The users' create path (registration, actor null, or creation by an
 * authenticated caller): the rules, the password's strength and hash, then
 * the row, the verification mail an unvouched address needs and the audit
 * event in one transaction, and the totals once it has committed.
 */
export function userCreator(deps: CreatorDeps) {
  const { storage, hasher, strength, now } = deps;
  return async function create(actor: Principal | null, input: NewUser, options: CreateOptions): Promise<User> {
    const errors = checkUserFields(input);
    if (input.password !== undefined)
      await strength.check(errors, 'password', input.password, [
        input.username,
        input.email,
        input.firstName,
        input.lastName,
      ]);
    failIfInvalid(errors);
    policy.assertCanCreate(actor, input);
    if (input.password === undefined) {
      if (!actor && !options.upstream) throw validationError({ password: 'Password is required' });
      if (actor) policy.assertCanProvision(actor);
    }
    if (input.externalId != null && actor?.role !== 'admin') throw forbidden('Only admins may set external_id');
    const customData =
      input.customData === undefined
        ? undefined
        : nextCustomData(actor, await deps.userSchema.current(), {}, { mode: 'replace', value: input.customData });
    await assertNotTaken(storage, input);
    const passwordHash =
      input.password === undefined ? null : await hasher.hash(input.password, [addressOf(options.client.ip)]);
    const record = {
      id: uuidv7(),
      username: input.username,
      email: input.email,
      passwordHash,
      role: input.role ?? 'user',
      status: input.status ?? options.defaultStatus ?? 'active',
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      phoneNumber: input.phoneNumber ?? null,
      dateOfBirth: input.dateOfBirth ?? null,
      bio: input.bio ?? null,
      preferences: {
        theme: input.theme ?? DEFAULT_PREFERENCES.theme,
        notifications: input.notifications ?? DEFAULT_PREFERENCES.notifications,
      },
      // An admin vouches for the address of an account it makes, an upstream provider for the one it verified
      // (core/upstream makes no account from any other); everyone else proves theirs.
      emailVerified: options.upstream !== undefined || options.proven !== undefined || actor?.role === 'admin',
      createdAt: new Date(now()).toISOString(),
      createdByKeyId: actor?.apiKeyId ?? null,
      customData,
      externalId: input.externalId ?? null,
    };
    const created = await storage.transaction(async (s) => {
      const user = await s.users.insert(record, input.picture);
      if (!user.emailVerified) await sendCode(s, user, 'verify_email', deps.codes);
      const entry = {
        type: 'user.created' as const,
        targetId: user.id,
        details: { role: user.role, status: user.status },
      };
      await s.audit.record(auditEvent(sourceOf(actor, options.client), entry, user.createdAt));
      await options.upstream?.within(s, user);
      await options.proven?.within(s, user);
      await options.within?.(s, user);
      return user;
    });
    deps.adjust(undefined, countable(created));
    return created;
  };
}
