import { Type } from '@sinclair/typebox';
import { ROLE_SCOPES } from '../../core/storage.roles.js';
import { CursorQuery, Nullable, PageSize, StringEnum, Timestamp, UserId } from '../shared/schemas.js';
import { Meta } from './schemas.js';

/** The roles a team defines, users' global roles and effective permissions on /api/v1 (issue 28). */

export const RoleV1 = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    permissions: Type.Array(Type.String(), { description: 'Deduplicated and sorted' }),
    scope: StringEnum(ROLE_SCOPES),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'ApiV1Role' },
);

const Name = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'Unique; 1 to 64 letters, digits or _ - . :',
});
const Permissions = Type.Array(Type.String({ maxLength: 128 }), {
  maxItems: 1000,
  description: 'Up to 100 distinct strings like invoices:read (1 to 128 of letters, digits and _ . : * / -)',
});

export const CreateRoleBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Type.Optional(Permissions),
    scope: Type.Optional(
      StringEnum(ROLE_SCOPES, {
        description: 'global (given to users) or organization (given to members); default global; never changes',
      }),
    ),
  },
  { additionalProperties: false, title: 'ApiV1CreateRole' },
);

export const PatchRoleBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Type.Optional(Permissions),
    scope: Type.Optional(StringEnum(ROLE_SCOPES, { description: 'Only its current value is accepted' })),
  },
  { additionalProperties: false, title: 'ApiV1PatchRole', description: 'Only the given fields change' },
);

export const RoleListQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Case-insensitive substring of the name' })),
  scope: Type.Optional(StringEnum(ROLE_SCOPES)),
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: PageSize,
});

export const RoleList = Type.Object(
  {
    data: Type.Array(RoleV1),
    pagination: Type.Object({ limit: Type.Integer(), next_cursor: Nullable(Type.String()) }),
    meta: Meta,
  },
  { title: 'ApiV1RoleList' },
);

export const RoleParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'Role id or name' }),
});

export const UserRolesBody = Type.Object(
  {
    roles: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: 100,
      description: 'Global role ids or names; the user holds exactly these afterwards ([] takes every role away)',
    }),
  },
  { additionalProperties: false, title: 'ApiV1UserRoles' },
);

export const UserRoleList = Type.Object({ data: Type.Array(RoleV1), meta: Meta }, { title: 'ApiV1UserRoleList' });

export const PermissionsQuery = Type.Object({
  organization_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: "Adds the user's roles in this organization" }),
  ),
});

export const PermissionsV1 = Type.Object(
  {
    roles: Type.Array(Type.String(), { description: 'Global role names' }),
    permissions: Type.Array(Type.String(), {
      description: "The effective set: the global roles' permissions, and the organization roles' with organization_id",
    }),
    organization_id: Type.Optional(Type.String()),
    organization_roles: Type.Optional(
      Type.Array(Type.String(), { description: "The user's organization roles there ([] when not a member)" }),
    ),
    organization_permissions: Type.Optional(Type.Array(Type.String())),
  },
  { title: 'ApiV1Permissions' },
);

export const UserIdParams = Type.Object({ id: UserId() });
