import type {
  CreateRoleInput,
  EffectivePermissions,
  ListRolesQuery,
  PatchRoleInput,
  Role,
  RoleList,
} from './api-types.js';
import type { Transport } from './transport.js';

const at = (idOrName: string) => `/roles/${encodeURIComponent(idOrName)}`;
const user = (id: string, what: 'roles' | 'permissions') => `/users/${encodeURIComponent(id)}/${what}`;

/**
 * The roles a team defines for its own applications (admins change them, moderators read them). They never grant
 * access to Usher's own API. Check a token's permissions in a resource server with `hasPermission`
 * (user-management-api-client/server).
 */
export const roleMethods = (t: Transport) => ({
  create: async (input: CreateRoleInput): Promise<Role> =>
    (await t.request<{ data: Role }>('POST', '/roles', { body: input })).data,
  /** By name; `?search=`, `?scope=`; `pagination.next_cursor` pages. */
  list: async (query: ListRolesQuery = {}): Promise<RoleList> => {
    const { data, pagination } = await t.request<RoleList>('GET', '/roles', { query });
    return { data, pagination };
  },
  /** By id or name. */
  get: async (idOrName: string): Promise<Role> => (await t.request<{ data: Role }>('GET', at(idOrName))).data,
  /** Only the given fields; permissions are replaced whole; the scope never changes. */
  update: async (idOrName: string, input: PatchRoleInput): Promise<Role> =>
    (await t.request<{ data: Role }>('PATCH', at(idOrName), { body: input })).data,
  delete: async (idOrName: string): Promise<void> => void (await t.request('DELETE', at(idOrName))),
});

/** A user's global roles and effective permissions (merged into `client.users`). */
export const userRoleMethods = (t: Transport) => ({
  /** The user's global roles. */
  roles: async (id: string): Promise<Role[]> => (await t.request<{ data: Role[] }>('GET', user(id, 'roles'))).data,
  /** Replaces the user's global roles, given by id or name (admins); [] takes them all away. */
  setRoles: async (id: string, roles: string[]): Promise<Role[]> =>
    (await t.request<{ data: Role[] }>('PUT', user(id, 'roles'), { body: { roles } })).data,
  /** The effective permissions; with `organizationId`, the user's organization roles there count too. */
  permissions: async (id: string, options: { organizationId?: string } = {}): Promise<EffectivePermissions> => {
    const query = options.organizationId === undefined ? {} : { organization_id: options.organizationId };
    return (await t.request<{ data: EffectivePermissions }>('GET', user(id, 'permissions'), { query })).data;
  },
});
