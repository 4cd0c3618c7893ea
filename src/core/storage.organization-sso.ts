import type { IdentityProvider } from './storage.upstream.js';

/**
 * Single sign-on per organization (migration 0019): an organization's provider
 * is a row of identity_providers with organization_id set (written through the
 * identity providers' store), and the reads that route and enforce by it.
 */
export interface OrganizationSsoStore {
  /** The organization's provider and its stored (sealed) secret. */
  providerOf(organizationId: string): Promise<{ provider: IdentityProvider; secret: string | null } | undefined>;
  /** The enabled provider of the organization that has this (lower-case) email domain. */
  forDomain(domain: string): Promise<IdentityProvider | undefined>;
  /** How many organizations have an enabled provider. */
  countEnabled(): Promise<number>;
  /**
   * Whether an enabled, enforced organization provider covers the user: they are a member of its organization,
   * or their email's domain is one of its domains.
   */
  enforcedFor(userId: string, emailDomain: string | null): Promise<boolean>;
}
