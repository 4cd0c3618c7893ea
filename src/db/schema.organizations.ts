/** Roles, organizations and their members (migrations 0016, 0017). */
export interface RolesTable {
  id: string;
  name: string;
  description: string;
  /** JSON: an array of permission strings. */
  permissions: string;
  /** `global` or `organization`. */
  scope: string;
  created_at: string;
  updated_at: string;
}

export interface UserRolesTable {
  user_id: string;
  role_id: string;
  created_at: string;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  /** The name folded for search and ordering. */
  name_key: string;
  slug: string;
  /** JSON: an array of lower-case domains (mirrored in organization_domains). */
  domains: string;
  /** JSON object, or NULL for {}. */
  custom_data: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrganizationDomainsTable {
  domain: string;
  organization_id: string;
}

export interface OrganizationMembersTable {
  organization_id: string;
  user_id: string;
  created_at: string;
}

export interface OrganizationMemberRolesTable {
  organization_id: string;
  user_id: string;
  role_id: string;
}

export interface OrganizationInvitationsTable {
  id: string;
  organization_id: string;
  email: string;
  email_key: string;
  /** JSON: an array of role ids. */
  roles: string;
  /** SHA-256 (hex) of `${id}:${code}`. */
  code_hash: string;
  invited_by: string | null;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface OrganizationSchema {
  roles: RolesTable;
  user_roles: UserRolesTable;
  organizations: OrganizationsTable;
  organization_domains: OrganizationDomainsTable;
  organization_members: OrganizationMembersTable;
  organization_member_roles: OrganizationMemberRolesTable;
  organization_invitations: OrganizationInvitationsTable;
}
