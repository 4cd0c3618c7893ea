import type {
  CreateIdentityProviderInput,
  IdentityProvider,
  LinkedIdentity,
  PatchIdentityProviderInput,
  PublicIdentityProvider,
} from './api-types.js';
import type { Transport } from './transport.js';

const at = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

/**
 * Upstream identity providers (Google, Microsoft, GitHub, any OpenID provider): added, changed and removed by signed-in
 * admins, read by moderators; the enabled ones' buttons by anyone. A `client_secret` is write-only: never answered.
 */
export const identityProviderMethods = (t: Transport) => ({
  create: async (input: CreateIdentityProviderInput): Promise<IdentityProvider> =>
    (await t.request<{ data: IdentityProvider }>('POST', '/identity-providers', { body: input })).data,
  list: async (): Promise<IdentityProvider[]> =>
    (await t.request<{ data: IdentityProvider[] }>('GET', '/identity-providers')).data,
  /** The enabled providers, for sign-in buttons (id, type, display name); needs no credential. */
  listPublic: async (): Promise<PublicIdentityProvider[]> =>
    (await t.request<{ data: PublicIdentityProvider[] }>('GET', '/identity-providers/public', { auth: false })).data,
  get: async (id: string): Promise<IdentityProvider> =>
    (await t.request<{ data: IdentityProvider }>('GET', at('/identity-providers', id))).data,
  /** PATCH: only the given fields; `client_secret: null` removes the secret. */
  update: async (id: string, input: PatchIdentityProviderInput): Promise<IdentityProvider> =>
    (await t.request<{ data: IdentityProvider }>('PATCH', at('/identity-providers', id), { body: input })).data,
  /** Every identity linked at it is unlinked. */
  /** Refused (422) when it would leave a user no way to sign in, unless `force`. */
  delete: async (id: string, options: { force?: boolean } = {}): Promise<void> =>
    void (await t.request('DELETE', at('/identity-providers', id), options.force ? { query: { force: true } } : {})),
});

/** The signed-in user's linked accounts at identity providers. */
export const identityMethods = (t: Transport) => ({
  list: async (): Promise<LinkedIdentity[]> =>
    (await t.request<{ data: LinkedIdentity[] }>('GET', '/auth/identities')).data,
  /**
   * Starts linking (needs a recent sign-in): open the answer's `authorization_url` in the browser; the provider's
   * callback links the account.
   */
  link: async (providerId: string): Promise<{ authorization_url: string }> =>
    (await t.request<{ data: { authorization_url: string } }>('POST', `${at('/auth/identities', providerId)}/link`))
      .data,
  /** Refused (422, `last_sign_in_method`) when it is the account's last way to sign in. */
  unlink: async (providerId: string): Promise<void> =>
    void (await t.request('DELETE', at('/auth/identities', providerId))),
});
