import { type Config, ConfigError } from '../config.js';
import { metricsServed } from '../config.telemetry.js';
import { type AccountService, createAccountService } from './account/account.service.js';
import { type EmailSignInService, createEmailSignIn } from './account/email-sign-in.service.js';
import { createMailQuota } from './account/mail-quota.js';
import { type ApiKeyService, createApiKeyService } from './api-keys/api-key.service.js';
import { type ApplicationService, createApplicationService } from './applications/application.service.js';
import { type AuditService, createAuditService } from './audit.service.js';
import { type Passkeys, createPasskeys } from './passkeys/passkeys.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { type AuthService, createAuthService } from './auth/auth.service.js';
import { type SessionsService, createSessionsService } from './auth/sessions.service.js';
import { type MfaService, createMfaService } from './auth/mfa.service.js';
import { refreshGrace } from './auth/refresh-grace.js';
import { sessionStarter } from './auth/session-start.js';
import { ownerProofs } from './security/owner-proofs.js';
import { type KeyRing, keyRingFromSecret } from './auth/signing-keys.js';
import { loadKeyRing } from './auth/key-ring.js';
import { type SigningKeysService, createSigningKeysService } from './auth/signing-keys.service.js';
import { type SecretBox, createSecretBox } from './security/secret-box.js';
import { checkSecretsKey, sealTotpSecrets } from './security/secrets-at-rest.js';
import { AppError } from './errors.js';
import { type OidcArtifacts, oidcArtifacts } from './identity/artifacts.js';
import { type IdentityService, createIdentityService } from './identity/identity.service.js';
import { type RefreshAnswers, refreshAnswers } from './identity/refresh-answers.js';
import { type Idempotency, createIdempotency } from './idempotency.js';
import { type EventBus, createLocalBus } from './events.js';
import { type PasswordHasher, createPasswordHasher } from './security/password-hasher.js';
import { createPasswordStrength } from './security/password-strength.js';
import { createLockout } from './security/lockout.js';
import { type RateLimitStore, createMemoryStore } from './rate-limit/rate-limit.js';
import type { Storage } from './storage.js';
import { systemPrincipal } from './types.js';
import { type UserService, createUserService } from './users/user.service.js';
import { type Upstream, createUpstream } from './upstream/upstream.js';
import { sealProviderSecrets } from './upstream/provider.service.js';
import type { Metrics } from './metrics/metrics.js';
import { countingRefreshes } from './metrics/sign-ins.js';
import { instrumentedHasher, observed } from './metrics/instrument.js';

/** The whole core, knowing nothing of HTTP: what every API surface calls. */
export interface Core {
  users: UserService;
  account: AccountService;
  /** Sign-in with a mailed code (USHER_EMAIL_SIGN_IN). */
  emailSignIn: EmailSignInService;
  auth: AuthService;
  sessions: SessionsService;
  mfa: MfaService;
  apiKeys: ApiKeyService;
  /** A user's passkeys, and signing in with one (core/passkeys/). */
  passkeys: Passkeys;
  /** What the OpenID provider needs: users' claims, the sessions behind sign-ins, consents (core/identity/). */
  identity: IdentityService;
  /** The OpenID provider's stored artifacts, with the rule that they end with their session. */
  oidcArtifacts: OidcArtifacts;
  /** The reuse grace window of the provider's refresh tokens. */
  oidcRefreshAnswers: RefreshAnswers;
  /** The provider's clients: managed by admins, read by the provider through `findByClientId`/`checkSecret`. */
  applications: ApplicationService;
  /** The token-signing keys: the JWKS (`keys.published()`), the OIDC provider's key, rotation. */
  keys: KeyRing;
  signingKeys: SigningKeysService;
  /** Upstream identity providers (Google, Microsoft, GitHub, any OpenID provider): core/upstream/. */
  upstream: Upstream;
  /** Seals secrets at rest under USHER_SECRETS_KEY (open when it is not set). */
  box: SecretBox;
  audit: AuditService;
  idempotency: Idempotency;
  hasher: PasswordHasher;
  bus: EventBus;
  metrics: Metrics;
  now: () => number;
  /** Deletes expired sessions and refresh tokens, and audit events past their retention. */
  sweep(): Promise<void>;
}

export interface CoreOptions {
  now?: () => number;
  bus?: EventBus;
  hasher?: PasswordHasher;
  /** Where counters live (in-process, or Redis shared by instances): the account lockout's and the mail limit's. */
  counters?: RateLimitStore;
  metrics?: Metrics;
}

/** The composition root of the core: every dependency is made here and passed down. */
export async function createCore(config: Config, given: Storage, options: CoreOptions = {}): Promise<Core> {
  const now = options.now ?? Date.now;
  const { metrics, storage } = observed(given, options.metrics, now, metricsServed(config.telemetry));
  const bus = options.bus ?? createLocalBus();
  // A user changed by another instance (or the CLI, through Redis) is read afresh here at once.
  bus.subscribe((event) => event.kind === 'user' && storage.forgetUser(event.id));
  const hasher = instrumentedHasher(
    options.hasher ??
      (await createPasswordHasher({
        concurrency: config.passwordHashConcurrency,
        queueTimeout: config.hashQueueTimeout,
        checkTimeout: config.hashCheckTimeout,
        onWait: metrics.hashWait,
      })),
    metrics,
  );
  // A wrong USHER_SECRETS_KEY stops here, before any secret is read; plain ones are sealed when it is set.
  const box = createSecretBox(config.secretsKey);
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
  const lockout = createLockout(counters, config.lockout);
  const codes = {
    ttlSeconds: config.codeTtl,
    product: 'Usher',
    now,
    quota: createMailQuota(counters, now),
    linkBase: config.publicUrl ?? config.issuer,
  };
  const users = createUserService({
    storage,
    hasher,
    strength: createPasswordStrength(config.passwordMinScore),
    lockout,
    bus,
    now,
    reauthWindow: config.reauthWindow,
    codes,
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
  return {
    identity,
    oidcArtifacts: oidcArtifacts(storage, identity, now),
    oidcRefreshAnswers: refreshAnswers(storage, config.refreshReuseGrace, now),
    users,
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
        caches: metrics.cache,
      }),
      metrics,
    ),
    mfa,
    passkeys: createPasskeys({ config, storage, proofs, startSession, now }),
    apiKeys: createApiKeyService(storage, bus, now),
    applications: createApplicationService(storage, now),
    upstream: createUpstream({
      config,
      storage,
      box,
      users,
      startSession,
      mfa,
      assertRecentSignIn: proofs.assertRecentSignIn,
      now,
    }),
    keys,
    signingKeys: createSigningKeysService(keys, bus, now),
    box,
    audit,
    idempotency,
    hasher,
    bus,
    metrics,
    now,
    sweep: async () => {
      await storage.sessions.deleteExpired(new Date(now()).toISOString());
      await audit.sweep();
      await idempotency.sweep();
      await grace.sweep(now());
      await storage.oidc.sweep(new Date(now()).toISOString());
      await storage.challenges.sweep(new Date(now()).toISOString());
      await keys.sweep();
    },
  };
}

/**
 * Creates the configured admin at start when no user of that name exists. A
 * configuration that cannot be honoured (the username belongs to a user who
 * is not an admin, or the email to another user) throws ConfigError: the
 * server must not start believing it has an admin it has not. Several
 * instances starting at once race on the unique indexes (username or email,
 * whichever the database checks first); the losers find the winner's admin
 * and carry on.
 */
export async function ensureAdmin(core: Core, admin: Config['admin']): Promise<'created' | 'exists' | 'skipped'> {
  if (!admin) return 'skipped';
  const existing = async (): Promise<'exists' | undefined> => {
    const user = await core.users.lookup({ username: admin.username });
    if (!user) return undefined;
    if (user.role !== 'admin')
      throw new ConfigError(
        'USHER_ADMIN_USERNAME',
        `names "${admin.username}", an existing user who is not an admin; choose another username or promote that user`,
      );
    return 'exists';
  };
  if (await existing()) return 'exists';
  try {
    // The service's own work: the event names no actor, and `bootstrap` as its client.
    await core.users.create(
      systemPrincipal(),
      { username: admin.username, email: admin.email, password: admin.password, role: 'admin', status: 'active' },
      { client: { ip: 'bootstrap' } },
    );
    return 'created';
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'DUPLICATE_RESOURCE') throw error;
    // Another instance may have created this admin meanwhile: the index it collided on may be the email's.
    const raced = await existing();
    if (raced) return raced;
    if (error.details?.field === 'email')
      throw new ConfigError(
        'USHER_ADMIN_EMAIL',
        `"${admin.email}" belongs to another user than "${admin.username}"; choose another email`,
      );
    throw error;
  }
}
