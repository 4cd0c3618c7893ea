import { AppError } from '../core/errors.js';
import type { IdentityStore, LinkedIdentity, ProviderType } from '../core/storage.js';
import { uniqueViolation } from '../db/database.js';
import type { StoreContext } from './store-context.js';

/** The user_identities table: users' accounts at upstream identity providers. */
export function identityStore({ db }: StoreContext): IdentityStore {
  const joined = () =>
    db
      .selectFrom('user_identities as i')
      .innerJoin('identity_providers as p', 'p.id', 'i.provider_id')
      .select([
        'i.provider_id',
        'i.subject',
        'i.user_id',
        'i.email',
        'i.linked_at',
        'p.type as provider_type',
        'p.display_name',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof joined>['executeTakeFirstOrThrow']>>;
  const identityOf = (r: Row): LinkedIdentity => ({
    providerId: r.provider_id,
    providerType: r.provider_type as ProviderType,
    providerName: r.display_name,
    subject: r.subject,
    userId: r.user_id,
    email: r.email,
    linkedAt: r.linked_at,
  });
  return {
    async countOf(userId) {
      const row = await db
        .selectFrom('user_identities')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async countAt(providerId) {
      const row = await db
        .selectFrom('user_identities')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('provider_id', '=', providerId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    // The ways-to-sign-in rule (core/sign-in/ways.ts) over every user linked at a provider, in one query: it reads the
    // users' password and passkeys beside this table, as `joined` reads the providers'.
    async onlyWayAt(providerId) {
      const row = await db
        .selectFrom('user_identities as i')
        .innerJoin('users as u', 'u.id', 'i.user_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('i.provider_id', '=', providerId)
        .where('u.deleted_at', 'is', null)
        .where('u.password_hash', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('passkeys as k').select('k.id').whereRef('k.user_id', '=', 'i.user_id'))),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('user_identities as o')
                .select('o.subject')
                .whereRef('o.user_id', '=', 'i.user_id')
                .whereRef('o.provider_id', '<>', 'i.provider_id'),
            ),
          ),
        )
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async find(providerId, subject) {
      const row = await joined()
        .where('i.provider_id', '=', providerId)
        .where('i.subject', '=', subject)
        .executeTakeFirst();
      return row && identityOf(row);
    },
    async insert(identity) {
      try {
        await db
          .insertInto('user_identities')
          .values({
            provider_id: identity.providerId,
            subject: identity.subject,
            user_id: identity.userId,
            email: identity.email,
            linked_at: identity.linkedAt,
          })
          .execute();
      } catch (error) {
        if (uniqueViolation(error) === undefined) throw error;
        throw new AppError('DUPLICATE_RESOURCE', 'This account at the provider is linked already', {
          reason: 'identity_linked',
        });
      }
    },
    async listOf(userId) {
      const rows = await joined().where('i.user_id', '=', userId).orderBy('i.linked_at').execute();
      return rows.map(identityOf);
    },
    async remove(userId, providerId) {
      const row = await joined()
        .where('i.user_id', '=', userId)
        .where('i.provider_id', '=', providerId)
        .executeTakeFirst();
      if (!row) return undefined;
      await db
        .deleteFrom('user_identities')
        .where('user_id', '=', userId)
        .where('provider_id', '=', providerId)
        .execute();
      return identityOf(row);
    },
  };
}
