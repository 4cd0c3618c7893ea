import type { CreateScimTokenInput, CreatedScimToken, ScimToken } from './api-types.js';
import type { Transport } from './transport.js';

const at = (organizationId: string) => `/organizations/${encodeURIComponent(organizationId)}/scim-tokens`;

/**
 * The bearer tokens an organization's directory (Entra ID, Okta…) provisions it with over `/scim/v2`: created and
 * revoked by admins, listed by moderators too. The token itself is in `create`'s answer only; it is stored hashed.
 */
export const scimTokenMethods = (t: Transport) => ({
  /** The answer's `token` is shown this once. */
  create: async (organizationId: string, input: CreateScimTokenInput): Promise<CreatedScimToken> =>
    (await t.request<{ data: CreatedScimToken }>('POST', at(organizationId), { body: input })).data,
  /** Every token of the organization, revoked ones too (`revoked_at`), with `prefix` only. */
  list: async (organizationId: string): Promise<ScimToken[]> =>
    (await t.request<{ data: ScimToken[] }>('GET', at(organizationId))).data,
  /** Refused by /scim/v2 from this moment. */
  revoke: async (organizationId: string, tokenId: string): Promise<void> =>
    void (await t.request('DELETE', `${at(organizationId)}/${encodeURIComponent(tokenId)}`)),
});
