/** Row shapes of the sign-in methods' tables (migration 0013); see schema.ts for the conventions. */

export interface AuthChallengesTable {
  id: string;
  purpose: string;
  user_id: string | null;
  /** JSON. */
  data: string;
  expires_at: string;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  /** base64url, as WebAuthn names the credential. */
  credential_id: string;
  /** base64url of the COSE public key. */
  public_key: string;
  /** A bigint column: PostgreSQL may answer a string. */
  counter: number | string;
  /** JSON array of the authenticator's transports. */
  transports: string;
  device_type: string;
  backed_up: number | boolean;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export interface IdentityProvidersTable {
  id: string;
  type: string;
  issuer: string | null;
  client_id: string;
  /** Sealed with USHER_SECRETS_KEY (`sb1:`) when it is set. */
  client_secret: string | null;
  /** JSON array. */
  scopes: string;
  display_name: string;
  enabled: number | boolean;
  auto_create: number | boolean;
  authorization_url: string | null;
  token_url: string | null;
  api_url: string | null;
  created_at: string;
  updated_at: string;
  /** The organization whose single sign-on it is (migration 0019); NULL for the deployment's own providers. */
  organization_id: string | null;
  enforced: number | boolean;
}

export interface UserIdentitiesTable {
  provider_id: string;
  subject: string;
  user_id: string;
  email: string | null;
  linked_at: string;
}

export interface SignInSchema {
  auth_challenges: AuthChallengesTable;
  passkeys: PasskeysTable;
  identity_providers: IdentityProvidersTable;
  user_identities: UserIdentitiesTable;
}
