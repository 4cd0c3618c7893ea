import type {
  AddOrganizationMemberInput,
  CreateOrganizationInput,
  CreateOrganizationInvitationInput,
  ListOrganizationInvitationsQuery,
  ListOrganizationMembersQuery,
  ListOrganizationsQuery,
  Organization,
  OrganizationInvitation,
  OrganizationInvitationList,
  OrganizationList,
  OrganizationMember,
  OrganizationMemberList,
  OwnOrganization,
  PatchOrganizationInput,
} from './api-types.js';
import type { Transport } from './transport.js';

const at = (id: string) => `/organizations/${encodeURIComponent(id)}`;
const member = (id: string, userId: string) => `${at(id)}/members/${encodeURIComponent(userId)}`;

/**
 * Organizations, their members and invitations: changed by admins, read by moderators. `id` is an organization's id
 * or slug. `mine` and `acceptInvitation` are the signed-in user's own.
 */
export const organizationMethods = (t: Transport) => ({
  create: async (input: CreateOrganizationInput): Promise<Organization> =>
    (await t.request<{ data: Organization }>('POST', '/organizations', { body: input })).data,
  /** Newest first; `search` on name and slug; `pagination.next_cursor` pages. */
  list: async (query: ListOrganizationsQuery = {}): Promise<OrganizationList> => {
    const { data, pagination } = await t.request<OrganizationList>('GET', '/organizations', { query });
    return { data, pagination };
  },
  get: async (id: string): Promise<Organization> => (await t.request<{ data: Organization }>('GET', at(id))).data,
  update: async (id: string, input: PatchOrganizationInput): Promise<Organization> =>
    (await t.request<{ data: Organization }>('PATCH', at(id), { body: input })).data,
  delete: async (id: string): Promise<void> => void (await t.request('DELETE', at(id))),

  addMember: async (id: string, input: AddOrganizationMemberInput): Promise<OrganizationMember> =>
    (await t.request<{ data: OrganizationMember }>('POST', `${at(id)}/members`, { body: input })).data,
  /** Newest member first; `search` on username, email and name. */
  members: async (id: string, query: ListOrganizationMembersQuery = {}): Promise<OrganizationMemberList> => {
    const { data, pagination } = await t.request<OrganizationMemberList>('GET', `${at(id)}/members`, { query });
    return { data, pagination };
  },
  setMemberRoles: async (id: string, userId: string, roles: string[]): Promise<OrganizationMember> =>
    (await t.request<{ data: OrganizationMember }>('PUT', `${member(id, userId)}/roles`, { body: { roles } })).data,
  removeMember: async (id: string, userId: string): Promise<void> =>
    void (await t.request('DELETE', member(id, userId))),

  /** Mails a code and a link; the answer never carries the code. */
  invite: async (id: string, input: CreateOrganizationInvitationInput): Promise<OrganizationInvitation> =>
    (await t.request<{ data: OrganizationInvitation }>('POST', `${at(id)}/invitations`, { body: input })).data,
  invitations: async (
    id: string,
    query: ListOrganizationInvitationsQuery = {},
  ): Promise<OrganizationInvitationList> => {
    const { data, pagination } = await t.request<OrganizationInvitationList>('GET', `${at(id)}/invitations`, {
      query,
    });
    return { data, pagination };
  },
  revokeInvitation: async (id: string, invitationId: string): Promise<void> =>
    void (await t.request('DELETE', `${at(id)}/invitations/${encodeURIComponent(invitationId)}`)),

  /** The signed-in user's organizations, with their roles there. */
  mine: async (): Promise<OwnOrganization[]> =>
    (await t.request<{ data: OwnOrganization[] }>('GET', '/auth/organizations')).data,
  /** The signed-in user joins with an invitation's code (sent to their address). */
  acceptInvitation: async (code: string): Promise<OwnOrganization> =>
    (
      await t.request<{ data: { organization: OwnOrganization } }>('POST', '/auth/invitations/accept', {
        body: { code },
      })
    ).data.organization,
});
