import type { ApplicationStore } from './storage.applications.js';
import type { UserSchemaStore } from './storage.custom-data.js';
import type { ApiKeyStore, SettingsStore, SigningKeyStore } from './storage.keys.js';
import type { AuditStore, CodeStore, IdempotencyStore, MailStore, MfaStore } from './storage.records.js';
import type { OidcStore } from './storage.oidc.js';
import type { InvitationStore, MembershipStore, OrganizationStore } from './storage.organizations.js';
import type { OrganizationSsoStore } from './storage.organization-sso.js';
import type { RefreshRotation } from './storage.refresh.js';
import type { RoleStore } from './storage.roles.js';
import type { ScimStore } from './storage.scim.js';
import type { SessionStore } from './storage.sessions.js';
import type { StatsStore } from './storage.stats.js';
import type { ChallengeStore, IdentityStore, PasskeyStore } from './storage.sign-in.js';
import type { IdentityProviderStore } from './storage.upstream.js';
import type { UserStore } from './storage.users.js';
import type { WebhookStore } from './storage.webhooks.js';

export type * from './storage.applications.js';
export type * from './storage.custom-data.js';
export type * from './storage.keys.js';
export type * from './storage.oidc.js';
export type * from './storage.organizations.js';
export type * from './storage.organization-sso.js';
export type * from './storage.records.js';
export type * from './storage.refresh.js';
export * from './storage.roles.js';
export type * from './storage.scim.js';
export type * from './storage.sessions.js';
export type * from './storage.sign-in.js';
export type * from './storage.stats.js';
export type * from './storage.upstream.js';
export * from './storage.webhooks.js';
export * from './storage.users.js';

/**
 * What the core needs from storage, in the core's own terms. The services
 * hold the rules, the transactions and the events; everything about tables,
 * rows, SQL and dialects lives behind these interfaces (src/storage/), which
 * also turn a unique-index violation into DUPLICATE_RESOURCE naming the field.
 */

export interface Stores {
  users: UserStore;
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  applications: ApplicationStore;
  audit: AuditStore;
  mail: MailStore;
  codes: CodeStore;
  mfa: MfaStore;
  oidc: OidcStore;
  signingKeys: SigningKeyStore;
  challenges: ChallengeStore;
  passkeys: PasskeyStore;
  identities: IdentityStore;
  identityProviders: IdentityProviderStore;
  webhooks: WebhookStore;
  memberships: MembershipStore;
  organizations: OrganizationStore;
  invitations: InvitationStore;
  organizationSso: OrganizationSsoStore;
  roles: RoleStore;
  userSchema: UserSchemaStore;
  scim: ScimStore;
}

/** Every store, and transactions over them: `work` gets stores bound to the transaction. */
export interface Storage extends Stores {
  /** A refresh's rotation: outside any transaction only. */
  refreshes: RefreshRotation;
  settings: SettingsStore;
  idempotency: IdempotencyStore;
  /** The dashboard's figures: reads outside transactions (the counters move by themselves, in the database). */
  stats: StatsStore;
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
  /**
   * Drops what this instance remembers of a user (`users.byId` outside a
   * transaction is served from a short-lived cache): the event bus calls it
   * when another instance changed the user. This instance's own writes drop
   * their users by themselves.
   */
  forgetUser(id: string): void;
  /** The live-user cache's hit and miss counts (for the metrics). */
  readonly userCache?: { readonly hits: number; readonly misses: number };
}
