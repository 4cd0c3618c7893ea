import type { AccountService } from './account/account.service.js';
import type { UserSchemaService } from './custom-data/user-schema.service.js';
import type { EmailSignInService } from './account/email-sign-in.service.js';
import type { ApiKeyService } from './api-keys/api-key.service.js';
import type { ApplicationService } from './applications/application.service.js';
import type { Organizations } from './organizations/organizations.js';
import type { AuditService } from './audit.service.js';
import type { Passkeys } from './passkeys/passkeys.js';
import type { AuthService } from './auth/auth.service.js';
import type { SessionsService } from './auth/sessions.service.js';
import type { MfaService } from './auth/mfa.service.js';
import type { KeyRing } from './auth/signing-keys.js';
import type { SigningKeysService } from './auth/signing-keys.service.js';
import type { SecretBox } from './security/secret-box.js';
import type { OidcArtifacts } from './identity/artifacts.js';
import type { IdentityService } from './identity/identity.service.js';
import type { RefreshAnswers } from './identity/refresh-answers.js';
import type { Idempotency } from './idempotency.js';
import type { EventBus } from './events.js';
import type { PasswordHasher } from './security/password-hasher.js';
import type { StatsService } from './stats/stats.service.js';
import type { RateLimitStore } from './rate-limit/rate-limit.js';
import type { UserService } from './users/user.service.js';
import type { RoleService } from './roles/role.service.js';
import type { Upstream } from './upstream/upstream.js';
import type { PresentUser, WebhookService } from './webhooks/webhooks.js';
import type { Scim } from './scim/scim.js';
import type { Metrics } from './metrics/metrics.js';

/** The whole core, knowing nothing of HTTP: what every API surface calls. */
export interface Core {
  users: UserService;
  /** The JSON Schema users' custom_data must match (issue 28). */
  userSchema: UserSchemaService;
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
  /** Organizations, their members and invitations (core/organizations/). */
  organizations: Organizations;
  /** The token-signing keys: the JWKS (`keys.published()`), the OIDC provider's key, rotation. */
  keys: KeyRing;
  signingKeys: SigningKeysService;
  /** Upstream identity providers (Google, Microsoft, GitHub, any OpenID provider): core/upstream/. */
  upstream: Upstream;
  /** Seals secrets at rest under USHER_SECRETS_KEY (open when it is not set). */
  box: SecretBox;
  audit: AuditService;
  stats: StatsService;
  /** The roles a team defines, users' global roles, effective permissions (core/roles/). */
  roles: RoleService;
  /** Webhook endpoints and their deliveries (core/webhooks/). */
  webhooks: WebhookService;
  /** SCIM 2.0 provisioning per organization: tokens, Users, Groups (core/scim/). */
  scim: Scim;
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
  /** The public user as /api/v1 shows it, for webhook events (the composition root passes the surface's presenter). */
  presentUser?: PresentUser;
  metrics?: Metrics;
}
