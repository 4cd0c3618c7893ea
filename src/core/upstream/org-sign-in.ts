import { auditEvent } from '../audit.js';
import type { IdentityProvider, Storage } from '../storage.js';
import type { ClientInfo, User } from '../types.js';
import type { Profile } from './upstream.types.js';

/** The domain of an address (lower case), or null when it has none. */
export function domainOf(login: string | null | undefined): string | null {
  if (!login) return null;
  const at = login.lastIndexOf('@');
  const domain =
    at < 0
      ? ''
      : login
          .slice(at + 1)
          .trim()
          .toLowerCase();
  return domain.length > 0 && domain.length <= 253 && /^[a-z0-9.-]+$/.test(domain) ? domain : null;
}

/**
 * An organization's provider, at its callback: the admin vouched that the
 * organization's domains belong to it, so an address the provider gives in
 * one of them counts as verified, and a first sign-in makes an account (with
 * auto_create) only for such an address. Elsewhere its `email_verified` does
 * not count: the provider is the customer's, and whoever runs it could name
 * any address (another company's user, an admin of Usher) and be linked to
 * that account by email. Such an identity is linked from the account only.
 */
export async function organizationRule(
  storage: Storage,
  p: IdentityProvider,
  profile: Profile,
): Promise<{ rule: IdentityProvider; profile: Profile }> {
  const org = p.organizationId === null ? undefined : await storage.organizations.find(p.organizationId);
  const domain = domainOf(profile.email);
  const inDomain = org !== undefined && domain !== null && org.domains.includes(domain);
  return {
    rule: { ...p, autoCreate: p.autoCreate && inDomain },
    profile: { ...profile, emailVerified: inDomain },
  };
}

/** A sign-in through an organization's provider makes the person a member (no roles), audited as the system's act. */
export async function joinOrganization(
  storage: Storage,
  p: IdentityProvider,
  user: User,
  client: ClientInfo,
  at: string,
): Promise<void> {
  const organizationId = p.organizationId;
  if (organizationId === null) return;
  await storage.transaction(async (s) => {
    if (!(await s.memberships.add(organizationId, user.id, [], at))) return;
    await s.audit.record(
      auditEvent(
        { actorId: null, client },
        {
          type: 'organization.member_added',
          targetId: user.id,
          details: { organization_id: organizationId, provider_id: p.id, how: 'sso' },
        },
        at,
      ),
    );
  });
}

/**
 * Whether a password sign-in is refused: an enabled, enforced organization
 * provider covers the user (member, or their address in its domains). Usher's
 * own admins are exempt (the break-glass way in when the company's provider
 * is down or misconfigured).
 */
export async function passwordRefused(storage: Storage, user: User): Promise<boolean> {
  if (user.role === 'admin') return false;
  return storage.organizationSso.enforcedFor(user.id, domainOf(user.email));
}
