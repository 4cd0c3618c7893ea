import type { CustomData } from '../custom-data/custom-data.rules.js';

/** Organizations, their members and invitations (issue 28), in the core's terms. */

export interface Organization {
  id: string;
  name: string;
  slug: string;
  /** Lower-case DNS names an admin vouches for; each belongs to one organization. */
  domains: string[];
  customData: CustomData;
  createdAt: string;
  updatedAt: string;
}

export interface NewOrganization {
  name: string;
  slug?: string;
  domains?: string[];
  customData?: unknown;
}

export type OrganizationChanges = Partial<NewOrganization>;

export interface ListQuery {
  search?: string;
  cursor?: string;
  limit?: number;
}

export interface OrganizationPage {
  organizations: Organization[];
  nextCursor: string | null;
}

/** A role of scope `organization`, as a member holds it. */
export interface RoleRef {
  id: string;
  name: string;
}

/** The public summary of a member's account. */
export interface MemberUser {
  id: string;
  username: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  status: string;
}

export interface Member {
  user: MemberUser;
  roles: RoleRef[];
  joinedAt: string;
}

export interface MemberPage {
  members: Member[];
  nextCursor: string | null;
}

/** One of the caller's organizations, with the roles they hold there. */
export interface OwnOrganization {
  organization: Organization;
  roles: RoleRef[];
  joinedAt: string;
}

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export interface Invitation {
  id: string;
  organizationId: string;
  email: string;
  /** Role ids. */
  roles: string[];
  invitedBy: string | null;
  expiresAt: string;
  acceptedAt: string | null;
  acceptedBy: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** With the code's hash: for the core's check, never for a presenter. */
export interface InvitationWithHash extends Invitation {
  codeHash: string;
}

export const invitationStatus = (i: Invitation, now: number): InvitationStatus =>
  i.acceptedAt !== null
    ? 'accepted'
    : i.revokedAt !== null
      ? 'revoked'
      : Date.parse(i.expiresAt) <= now
        ? 'expired'
        : 'pending';
