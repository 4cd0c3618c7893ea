import type { Generated } from 'kysely';
import type { OidcSchema } from './schema.oidc.js';
import type { OrganizationSchema } from './schema.organizations.js';
import type { ScimSchema } from './schema.scim.js';
import type { SignInSchema } from './schema.sign-in.js';
import type { StatsSchema } from './schema.stats.js';
import type { WebhookSchema } from './schema.webhooks.js';

/**
 * Row shapes as stored. Timestamps are ISO 8601 strings on both dialects (the
 * PostgreSQL pool parses timestamptz into the same format); booleans are 0/1
 * on SQLite and true/false on PostgreSQL, so repositories read them with Boolean().
 */
export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  email: string;
  email_key: string;
  password_hash: string | null;
  role: string;
  status: string;
  first_name: string | null;
  first_name_key: string | null;
  last_name: string | null;
  last_name_key: string | null;
  phone_number: string | null;
  date_of_birth: string | null;
  bio: string | null;
  picture_id: string | null;
  pref_theme: string;
  pref_notifications: number | boolean;
  search_text: string;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  deleted_at: string | null;
  email_verified: number | boolean;
  mfa_secret: string | null;
  mfa_pending_secret: string | null;
  mfa_last_step: number | null;
  /** The API key that created the user, if one did. */
  created_by_key_id: string | null;
  /** JSON object of the team's own attributes, or NULL for {} (migration 0016). */
  custom_data: string | null;
  /** The user's id in another system (SCIM externalId, an import's id); unique. */
  external_id: string | null;
}

export interface PicturesTable {
  id: string;
  user_id: string;
  content_type: string;
  data: Buffer;
  size: number;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  refreshed_at: string;
  /** When the user gave their password for this session (a refresh does not move it). */
  authenticated_at: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  last_used_at: string | null;
  /** The organization its tokens are for (migration 0017), or NULL. */
  organization_id: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /**
   * Once used: the successor, sealed for the reuse grace window (core/auth/refresh-grace.ts); never a usable secret.
   */
  successor: string | null;
}

/** The grace window's epoch secrets, each kept a few windows (core/auth/refresh-grace.ts). */
export interface RefreshGraceKeysTable {
  epoch: number;
  secret: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  prefix: string;
  role: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** An OpenID Connect client; the lists are JSON arrays of strings. */
export interface ApplicationsTable {
  id: string;
  name: string;
  type: string;
  client_id: string;
  /** SHA-256 of the client secret, base64url; null for public clients (spa, native). */
  secret_hash: string | null;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  scopes: string;
  first_party: number | boolean;
  logo_uri: string | null;
  created_at: string;
  updated_at: string;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  /** HS256 keys only ('' for asymmetric ones); sealed when USHER_SECRETS_KEY is set. */
  secret: string;
  created_at: string;
  state: Generated<string>;
  public_jwk: string | null;
  /** The private JWK's JSON, sealed when USHER_SECRETS_KEY is set. */
  private_key: string | null;
  retires_at: string | null;
  activated_at: string | null;
}

/** name → value: the secret box's check value. */
export interface SettingsTable {
  name: string;
  value: string;
}

export interface AuditEventsTable {
  id: string;
  type: string;
  actor_id: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  /** JSON. */
  details: string;
}

export interface IdempotencyKeysTable {
  /** SHA-256 of who sent it, where, and the key. */
  scope_key: string;
  /** SHA-256 of who sent it (user, API key or address): rows are bounded per caller. */
  caller: string;
  request_hash: string;
  /** Null while the first request is in flight. */
  status: number | null;
  body: string | null;
  created_at: string;
  expires_at: string;
}

export interface OneTimeCodesTable {
  id: string;
  user_id: string;
  purpose: string;
  email: string;
  code_hash: string;
  attempts: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface MailOutboxTable {
  id: string;
  to_address: string;
  template: string;
  /** JSON: the template's values. */
  data: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  sent_at: string | null;
  last_error: string | null;
}

export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface MfaChallengesTable {
  token_hash: string;
  user_id: string;
  attempts: number;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** How the first factor was proved (null: a password), and with which upstream provider. */
  method: string | null;
  provider_id: string | null;
  /** The organization the login asked for (migration 0020): its claims go into the verify step's tokens. */
  organization_id: string | null;
}

export interface Schema extends SignInSchema, OidcSchema, StatsSchema, WebhookSchema, OrganizationSchema, ScimSchema {
  users: UsersTable;
  pictures: PicturesTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  refresh_grace_keys: RefreshGraceKeysTable;
  api_keys: ApiKeysTable;
  applications: ApplicationsTable;
  signing_keys: SigningKeysTable;
  settings: SettingsTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  one_time_codes: OneTimeCodesTable;
  mail_outbox: MailOutboxTable;
  recovery_codes: RecoveryCodesTable;
  mfa_challenges: MfaChallengesTable;
}
