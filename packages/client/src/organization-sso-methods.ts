import type { OrganizationSso, PutOrganizationSsoInput, SsoDiscovery } from './api-types.js';
import type { Transport } from './transport.js';

const at = (organizationId: string) => `/organizations/${encodeURIComponent(organizationId)}/sso`;

/**
 * An organization's single sign-on (its OpenID provider, reached by the organization's email domains): set and
 * removed by signed-in admins, read by moderators; the client secret is write-only. `discover` is home realm
 * discovery for a sign-in page of your own (no credential needed).
 */
export const organizationSsoMethods = (t: Transport) => ({
  get: async (organizationId: string): Promise<OrganizationSso> =>
    (await t.request<{ data: OrganizationSso }>('GET', at(organizationId))).data,
  /** Sets it whole; an absent client_secret keeps the stored one. */
  set: async (organizationId: string, input: PutOrganizationSsoInput): Promise<OrganizationSso> =>
    (await t.request<{ data: OrganizationSso }>('PUT', at(organizationId), { body: input })).data,
  delete: async (organizationId: string, options: { force?: boolean } = {}): Promise<void> =>
    void (await t.request('DELETE', at(organizationId), options.force ? { query: { force: true } } : {})),
  /** `{ sso: true, url }` when the address's domain is an organization's with single sign-on. */
  discover: async (email: string): Promise<SsoDiscovery> =>
    (await t.request<{ data: SsoDiscovery }>('POST', '/auth/sso/discover', { body: { email } })).data,
});
