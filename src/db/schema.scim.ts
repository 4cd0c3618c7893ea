/** SCIM provisioning (migration 0018). */
export interface ScimTokensTable {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  /** SHA-256 (base64url) of the secret. */
  token_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ScimUsersTable {
  organization_id: string;
  user_id: string;
  /** The userName the directory sent, as sent. */
  user_name: string;
  user_name_key: string;
  /** JSON object: the SCIM attributes Usher has no column for. */
  attributes: string;
  created_at: string;
  updated_at: string;
}

export interface ScimGroupsTable {
  id: string;
  organization_id: string;
  role_id: string;
  display_name: string;
  external_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScimSchema {
  scim_tokens: ScimTokensTable;
  scim_users: ScimUsersTable;
  scim_groups: ScimGroupsTable;
}
