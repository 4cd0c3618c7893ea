import type { Static } from '@sinclair/typebox';
import type {
  Invitation,
  InvitationStatus,
  Member,
  NewOrganization,
  Organization,
  OwnOrganization,
} from '../../core/organizations/organization.types.js';
import type { CreateOrganizationBody, InvitationV1, MemberV1, OrganizationV1 } from './organizations.schemas.js';

/** Organizations between the core and the /api/v1 wire format. */

export const organizationV1 = (o: Organization): Static<typeof OrganizationV1> => ({
  id: o.id,
  name: o.name,
  slug: o.slug,
  domains: o.domains,
  custom_data: o.customData,
  created_at: o.createdAt,
  updated_at: o.updatedAt,
});

export const organizationFromV1 = (b: Partial<Static<typeof CreateOrganizationBody>>): Partial<NewOrganization> => ({
  ...(b.name !== undefined && { name: b.name }),
  ...(b.slug !== undefined && { slug: b.slug }),
  ...(b.domains !== undefined && { domains: b.domains }),
  ...(b.custom_data !== undefined && { customData: b.custom_data }),
});

export const memberV1 = (m: Member): Static<typeof MemberV1> => ({
  id: m.user.id,
  username: m.user.username,
  email: m.user.email,
  first_name: m.user.firstName,
  last_name: m.user.lastName,
  status: m.user.status,
  roles: m.roles,
  joined_at: m.joinedAt,
});

export const invitationV1 = (i: Invitation, status: InvitationStatus): Static<typeof InvitationV1> => ({
  id: i.id,
  organization_id: i.organizationId,
  email: i.email,
  roles: i.roles,
  status,
  invited_by: i.invitedBy,
  expires_at: i.expiresAt,
  accepted_at: i.acceptedAt,
  accepted_by: i.acceptedBy,
  revoked_at: i.revokedAt,
  created_at: i.createdAt,
});

export const ownOrganizationV1 = (o: OwnOrganization) => ({
  id: o.organization.id,
  name: o.organization.name,
  slug: o.organization.slug,
  roles: o.roles,
  joined_at: o.joinedAt,
});
