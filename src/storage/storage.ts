import { StateCache } from '../core/state-cache.js';
import type { Storage, Stores } from '../core/storage.js';
import type { User } from '../core/types.js';
import type { Database } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import type { Kysely } from 'kysely';
import { apiKeyStore } from './api-key.store.js';
import { applicationStore } from './application.store.js';
import { auditStore } from './audit.store.js';
import { statsStore } from './stats.store.js';
import { challengeStore } from './challenge.store.js';
import { codeStore } from './code.store.js';
import { identityStore } from './identity.store.js';
import { identityProviderStore } from './identity-provider.store.js';
import { mailStore } from './mail.store.js';
import { mfaStore } from './mfa.store.js';
import { oidcStore } from './oidc.store.js';
import { membershipStore } from './membership.store.js';
import { invitationStore } from './invitation.store.js';
import { organizationStore } from './organization.store.js';
import { organizationSsoStore } from './organization-sso.store.js';
import { roleStore } from './role.store.js';
import { passkeyStore } from './passkey.store.js';
import { scimStore } from './scim.store.js';
import { idempotencyStore } from './idempotency.store.js';
import { sessionQueries, sessionStore } from './session.store.js';
import { settingsStore, signingKeyStore } from './signing-key.store.js';
import { userSchemaStore } from './user-schema.store.js';
import { type StoreContext, compiledQueries } from './store-context.js';
import { readUser, userQueries } from './users/user.queries.js';
import { userStore } from './users/user.store.js';
import { webhookStore } from './webhook.store.js';

/**
 * The storage the core runs on: one store per table family (users with their
 * pictures, sessions with their refresh tokens, API keys, applications, signing keys),
 * each the only code that queries its tables. Every store is built over one
 * `StoreContext`: the database's, made here once, or a transaction's, made
 * when it opens. Queries are compiled once per database and shared by the
 * stores of every transaction.
 *
 * Live users read by id outside a transaction come from a cache of this
 * instance that keeps each for at most 1 s. Every write to a user's row through these stores drops that user
 * when the statement is done and again when its transaction ends, so this
 * instance never answers a read older than a write it made; other instances
 * hear through the event bus (`forgetUser`), or see the change within the TTL.
 */
export function createStorage(database: Database, options: { now?: () => number } = {}): Storage {
  const compiled = compiledQueries(database);
  const users = compiled(userQueries);
  const cache = new StateCache<User>((id) => readUser(users, id), options.now ?? Date.now, 1000, 10_000, false);
  const forget = (id: string) => cache.forget(id);
  const context = (db: Kysely<Schema>, inTransaction: boolean, changed: (id: string) => void): StoreContext => ({
    db,
    inTransaction,
    dialect: database.dialect,
    compiled,
    changed,
    users: inTransaction ? undefined : cache,
  });
  const stores = (ctx: StoreContext): Stores => ({
    users: userStore(ctx),
    sessions: sessionStore(ctx),
    apiKeys: apiKeyStore(ctx),
    applications: applicationStore(ctx),
    audit: auditStore(ctx),
    mail: mailStore(ctx),
    codes: codeStore(ctx),
    mfa: mfaStore(ctx),
    oidc: oidcStore(ctx),
    signingKeys: signingKeyStore(ctx),
    challenges: challengeStore(ctx),
    passkeys: passkeyStore(ctx),
    identities: identityStore(ctx),
    identityProviders: identityProviderStore(ctx),
    webhooks: webhookStore(ctx),
    memberships: membershipStore(ctx),
    organizations: organizationStore(ctx),
    invitations: invitationStore(ctx),
    organizationSso: organizationSsoStore(ctx),
    roles: roleStore(ctx),
    userSchema: userSchemaStore(ctx),
    scim: scimStore(ctx),
  });
  const outside = context(database.db, false, forget);
  return {
    ...stores(outside),
    refreshes: outside.compiled(sessionQueries).rotation,
    settings: settingsStore(outside),
    idempotency: idempotencyStore(outside),
    stats: statsStore(outside),
    async transaction(work) {
      const touched = new Set<string>();
      try {
        return await database.db.transaction().execute((trx) =>
          work(
            stores(
              context(trx, true, (id) => {
                forget(id);
                touched.add(id);
              }),
            ),
          ),
        );
      } finally {
        // A read that ran between the write and the commit saw the row as it was.
        for (const id of touched) forget(id);
      }
    },
    forgetUser: forget,
    userCache: cache,
  };
}
