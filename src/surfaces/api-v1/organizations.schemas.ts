import { Type } from '@sinclair/typebox';
import { ORG_LIMITS } from '../../core/organizations/organization.rules.js';
import { INVITATION_STATUSES } from '../../core/organizations/organization.types.js';
import { CursorQuery, Nullable, PageSize, StringEnum, Timestamp } from '../shared/schemas.js';
import { Meta } from './schemas.js';

/** Organizations, their members and invitations on /api/v1. */

const Name = Type.String({ minLength: 1, maxLength: ORG_LIMITS.nameMax, description: '1-100 printable characters' });
const Slug = Type.String({
  minLength: ORG_LIMITS.slugMin,
  maxLength: ORG_LIMITS.slugMax,
  description:
    'Lower-case letters, digits and hyphens (3-64), unique; derived from the name when omitted at creation (409 when a given one is taken)',
});
const Domains = Type.Array(Type.String({ maxLength: ORG_LIMITS.domainMax }), {
  maxItems: ORG_LIMITS.domainsMax,
  description:
    'Email domains the organization owns (lower-case DNS names, as an admin vouches for them): each belongs to one organization (409 naming it)',
});
const CustomData = Type.Record(Type.String(), Type.Unknown(), {
  description: 'The team’s own attributes: a JSON object of at most 16 KiB',
});
const Roles = Type.Array(Type.String({ maxLength: 100 }), {
  maxItems: ORG_LIMITS.rolesMax,
  description: 'Organization roles (scope `organization`), by id or name',
});

export const OrganizationV1 = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    domains: Type.Array(Type.String()),
    custom_data: CustomData,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'ApiV1Organization' },
);

export const CreateOrganizationBody = Type.Object(
  { name: Name, slug: Type.Optional(Slug), domains: Type.Optional(Domains), custom_data: Type.Optional(CustomData) },
  { additionalProperties: false, title: 'ApiV1CreateOrganization' },
);

export const PatchOrganizationBody = Type.Object(
  {
    name: Type.Optional(Name),
    slug: Type.Optional(Slug),
    domains: Type.Optional(Domains),
    custom_data: Type.Optional(CustomData),
  },
  {
    additionalProperties: false,
    title: 'ApiV1PatchOrganization',
    description: 'Only the given fields change; domains and custom_data are replaced whole',
  },
);

const pagination = Type.Object({
  limit: Type.Integer(),
  next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
});

export const OrganizationListQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Case-insensitive substring of the name or slug' })),
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: PageSize,
});

export const OrganizationList = Type.Object(
  { data: Type.Array(OrganizationV1), pagination, meta: Meta },
  { title: 'ApiV1OrganizationList' },
);

export const OrganizationParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'The organization id, or its slug' }),
});
export const MemberParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'The organization id, or its slug' }),
  user_id: Type.String({ maxLength: 64, description: 'The member’s user id' }),
});
export const InvitationParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'The organization id, or its slug' }),
  invitation_id: Type.String({ maxLength: 64 }),
});

const RoleRefV1 = Type.Object({ id: Type.String(), name: Type.String() }, { title: 'ApiV1RoleRef' });

export const MemberV1 = Type.Object(
  {
    id: Type.String({ description: 'The user id' }),
    username: Type.String(),
    email: Type.String(),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    status: Type.String(),
    roles: Type.Array(RoleRefV1),
    joined_at: Timestamp,
  },
  { title: 'ApiV1OrganizationMember' },
);

export const AddMemberBody = Type.Object(
  { user_id: Type.String({ maxLength: 64 }), roles: Type.Optional(Roles) },
  { additionalProperties: false, title: 'ApiV1AddOrganizationMember' },
);
export const MemberRolesBody = Type.Object(
  { roles: Roles },
  { additionalProperties: false, title: 'ApiV1OrganizationMemberRoles' },
);

export const MemberListQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Substring of the username, email or name' })),
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: PageSize,
});
export const MemberList = Type.Object(
  { data: Type.Array(MemberV1), pagination, meta: Meta },
  { title: 'ApiV1OrganizationMemberList' },
);

export const InvitationStatusSchema = StringEnum(INVITATION_STATUSES);

export const InvitationV1 = Type.Object(
  {
    id: Type.String(),
    organization_id: Type.String(),
    email: Type.String(),
    roles: Type.Array(Type.String(), { description: 'Role ids the member will hold' }),
    status: InvitationStatusSchema,
    invited_by: Nullable(Type.String()),
    expires_at: Timestamp,
    accepted_at: Nullable(Timestamp),
    accepted_by: Nullable(Type.String()),
    revoked_at: Nullable(Timestamp),
    created_at: Timestamp,
  },
  { title: 'ApiV1OrganizationInvitation' },
);

export const CreateInvitationBody = Type.Object(
  {
    email: Type.String({ maxLength: 255 }),
    roles: Type.Optional(Roles),
    expires_at: Type.Optional(
      Type.String({ format: 'date-time', description: 'In the future, at most 30 days ahead; 7 days when omitted' }),
    ),
  },
  { additionalProperties: false, title: 'ApiV1CreateOrganizationInvitation' },
);

export const InvitationListQuery = Type.Object({
  status: Type.Optional(InvitationStatusSchema),
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: PageSize,
});
export const InvitationList = Type.Object(
  { data: Type.Array(InvitationV1), pagination, meta: Meta },
  { title: 'ApiV1OrganizationInvitationList' },
);

export const AcceptInvitationBody = Type.Object(
  { code: Type.String({ maxLength: 32, description: 'The 6-digit code of the invitation mail' }) },
  { additionalProperties: false, title: 'ApiV1AcceptInvitation' },
);

export const OwnOrganizationV1 = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    roles: Type.Array(RoleRefV1),
    joined_at: Timestamp,
  },
  { title: 'ApiV1OwnOrganization' },
);

export const AcceptedInvitation = Type.Object(
  { organization: OwnOrganizationV1 },
  { title: 'ApiV1AcceptedInvitation' },
);
