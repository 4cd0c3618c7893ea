import type { Config } from '../config.js';
import { metricsServed } from '../config.telemetry.js';
import { createAccountService } from './account/account.service.js';
import { createEmailSignIn } from './account/email-sign-in.service.js';
import { createMailQuota } from './account/mail-quota.js';
import { createApiKeyService } from './api-keys/api-key.service.js';
import { createApplicationService } from './applications/application.service.js';
import { createOrganizations } from './organizations/organizations.js';
import { createAuditService } from './audit.service.js';
import { createPasskeys } from './passkeys/passkeys.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { createAuthService } from './auth/auth.service.js';
import { createSessionsService } from './auth/sessions.service.js';
import { createMfaService } from './auth/mfa.service.js';
import { refreshGrace } from './auth/refresh-grace.js';
import { sessionStarter } from './auth/session-start.js';
import { ownerProofs } from './security/owner-proofs.js';
import { type KeyRing, keyRingFromSecret } from './auth/signing-keys.js';
import { loadKeyRing } from './auth/key-ring.js';
import { createSigningKeysService } from './auth/signing-keys.service.js';
import { createSecretBox } from './security/secret-box.js';
import { foreignKeys } from './security/foreign-keys.js';
import { checkSecretsKey, sealTotpSecrets } from './security/secrets-at-rest.js';
import { oidcArtifacts } from './identity/artifacts.js';
import { createIdentityService } from './identity/identity.service.js';
import { refreshAnswers } from './identity/refresh-answers.js';
import { createIdempotency } from './idempotency.js';
import { createLocalBus } from './events.js';
import { createPasswordHasher } from './security/password-hasher.js';
import { createPasswordStrength } from './security/password-strength.js';
import { createLockout } from './security/lockout.js';
import { createStatsService, lockWatcher } from './stats/stats.service.js';
import { createMemoryStore } from './rate-limit/rate-limit.js';
import type { Storage } from './storage.js';
import { createUserService } from './users/user.service.js';
import { createRoleService } from './roles/role.service.js';
import { createUserSchemaService } from './custom-data/user-schema.service.js';
import { createScim } from './scim/scim.js';
import { createUpstream } from './upstream/upstream.js';
import { passwordRefused } from './upstream/org-sign-in.js';
import { sealProviderSecrets } from './upstream/provider.service.js';
import { createWebhooks, withWebhookEvents } from './webhooks/webhooks.js';
import { countingRefreshes } from './metrics/sign-ins.js';
import { instrumentedHasher, observed } from './metrics/instrument.js';
import type { Core, CoreOptions } from './core.types.js';

export type { Core, CoreOptions } from './core.types.js';

/** The composition root of the core: every dependency is made here and passed down. */
export async function createCore(config: Config, given: Storage, options: CoreOptions = {}): Promise<Core> {
  const now = options.now ?? Date.now;
  // Every audit event of a webhook type also writes its deliveries, in the change's transaction; the metrics count
  // sign-ins from the same events once they commit.
  const withEvents = withWebhookEvents(given, options.presentUser ?? ((u) => ({ id: u.id })));
  const { metrics, storage } = observed(withEvents, options.metrics, now, metricsServed(config.telemetry));
  const bus = options.bus ?? createLocalBus();
  // A user changed by another instance (or the CLI, through Redis) is read afresh here at once.
  bus.subscribe((event) => event.kind === 'user' && storage.forgetUser(event.id));
  const box = createSecretBox(config.secretsKey);
  const otherKeys = foreignKeys(storage.settings, box);
  const hasher = instrumentedHasher(
    options.hasher ??
      (await createPasswordHasher({
        concurrency: config.passwordHashConcurrency,
        queueTimeout: config.hashQueueTimeout,
        checkTimeout: config.hashCheckTimeout,
        foreignKey: otherKeys.get,
        onWait: metrics.hashWait,
      })),
    metrics,
  );
  // A wrong USHER_SECRETS_KEY stops here, before any secret is read; plain ones are sealed when it is set.
  await checkSecretsKey(storage, box);
  await sealTotpSecrets(storage, box);
  await sealProviderSecrets(storage, box);
  const keys: KeyRing =
    config.jwtAlg === 'HS256'
      ? keyRingFromSecret(config.jwtSecret!)
      : await loadKeyRing({
          storage,
          box,
          alg: config.jwtAlg,
          ttl: config.accessTokenTtl,
          now,
          legacySecret: config.jwtSecret,
        });
  const tokens = createAccessTokens(keys, config.accessTokenTtl, config.issuer, now);
  const audit = createAuditService(storage, config.auditRetentionDays, now);
  const idempotency = createIdempotency(storage, now);
  // The lockout's and the mail limit's counters: one store (Redis when instances share them).
  const counters = options.counters ?? createMemoryStore();
  const lockout = createLockout(counters, config.lockout, lockWatcher(storage));
  const stats = createStatsService({ storage, now, webhookFigures: () => storage.webhooks.failures() });
  const codes = {
    ttlSeconds: config.codeTtl,
    product: 'Usher',
    now,
    quota: createMailQuota(counters, now),
    linkBase: config.publicUrl ?? config.issuer,
  };
  const userSchema = createUserSchemaService({ storage, now });
  const users = createUserService({
    userSchema,
    storage,
    hasher,
    strength: createPasswordStrength(config.passwordMinScore),
    lockout,
    bus,
    now,
    reauthWindow: config.reauthWindow,
    codes,
    box,
    foreignKeys: otherKeys,
  });
  const startSession = sessionStarter({
    storage,
    tokens,
    bus,
    refreshTtl: config.refreshTokenTtl,
    sessionMaxAge: config.sessionMaxAge,
    maxSessions: config.maxSessionsPerUser,
    now,
  });
  const proofs = ownerProofs({ storage, hasher, lockout, now, reauthWindow: config.reauthWindow });
  const mfa = createMfaService({ storage, bus, proofs, startSession, lockout, now, box });
  const grace = refreshGrace(storage.sessions, config.refreshReuseGrace);
  const identity = createIdentityService({ storage, bus, now });
  const upstream = createUpstream({
    config,
    storage,
    box,
    users,
    startSession,
    mfa,
    assertRecentSignIn: proofs.assertRecentSignIn,
    now,
  });
  return {
    identity,
    oidcArtifacts: oidcArtifacts(storage, identity, now),
    oidcRefreshAnswers: refreshAnswers(storage, config.refreshReuseGrace, now),
    users,
    userSchema,
    account: createAccountService(storage, users, codes),
    emailSignIn: createEmailSignIn({ enabled: config.emailSignIn, storage, users, codes, mfa, startSession }),
    sessions: createSessionsService(storage, bus, now),
    auth: countingRefreshes(
      createAuthService({
        storage,
        hasher,
        lockout,
        tokens,
        bus,
        refreshTtl: config.refreshTokenTtl,
        requireVerifiedEmail: config.requireVerifiedEmail,
        now,
        mfa,
        startSession,
        grace,
        // No query on the login's path unless some organization has single sign-on (a 5 s cached answer).
        passwordRefused: async (user) => (await upstream.orgSso.anyConfigured()) && passwordRefused(storage, user),
        caches: metrics.cache,
      }),
      metrics,
    ),
    mfa,
    passkeys: createPasskeys({ config, storage, proofs, startSession, now }),
    apiKeys: createApiKeyService(storage, bus, now),
    applications: createApplicationService(storage, now),
    organizations: createOrganizations({
      storage,
      now,
      users,
      codes,
      counters,
      // Membership changes drop every instance's cached organization state of the user (after the commit).
      publishUser: (id) => bus.publish({ kind: 'user', id }),
    }),
    upstream,
    keys,
    signingKeys: createSigningKeysService(keys, bus, now),
    box,
    audit,
    stats,
    roles: createRoleService({ storage, bus, now }),
    webhooks: createWebhooks(config, storage, box, now),
    scim: createScim({
      storage,
      users,
      bus,
      now,
      counters,
      limits: {
        enabled: config.rateLimit.enabled,
        perMinute: config.rateLimit.authPerMin * 10,
        failuresPerMinute: config.rateLimit.anonPerMin,
      },
    }),
    idempotency,
    hasher,
    bus,
    metrics,
    now,
    sweep: async () => {
      await storage.sessions.deleteExpired(new Date(now()).toISOString());
      await audit.sweep();
      await stats.sweep();
      await idempotency.sweep();
      await grace.sweep(now());
      await storage.oidc.sweep(new Date(now()).toISOString());
      await storage.challenges.sweep(new Date(now()).toISOString());
      await keys.sweep();
      // Finished webhook deliveries are kept 30 days (docs/decisions.md).
      await storage.webhooks.sweep(new Date(now() - 30 * 86_400_000).toISOString());
    },
  };
}

export { ensureAdmin } from './ensure-admin.js';
