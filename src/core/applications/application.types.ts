/**
 * Applications: the OpenID Connect clients of Usher's provider. A record as
 * the core sees it never carries its secret, only (for the provider) the
 * secret's hash, through `ApplicationWithSecret`.
 */

export const APPLICATION_TYPES = ['web', 'spa', 'native', 'machine'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

/** Confidential clients hold a secret; `spa` and `native` are public clients (PKCE), with none. */
export const CONFIDENTIAL_TYPES: readonly ApplicationType[] = ['web', 'machine'];
export const isConfidential = (type: ApplicationType): boolean => CONFIDENTIAL_TYPES.includes(type);

/** The scopes the provider knows (OpenID Connect's, plus `roles` and `organizations`): what users consent to. */
export const KNOWN_SCOPES = [
  'openid',
  'profile',
  'email',
  'phone',
  'offline_access',
  'roles',
  'organizations',
] as const;

export interface Application {
  id: string;
  name: string;
  type: ApplicationType;
  /** Public and unguessable: `app_` and 24 random bytes, base64url. */
  clientId: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** The scopes the application may ask for. */
  scopes: string[];
  /** Made by the operator of this Usher (the provider may skip the consent screen for it). */
  firstParty: boolean;
  logoUri: string | null;
  createdAt: string;
  updatedAt: string;
}

/** For the provider only: the record with the SHA-256 of its secret (null for public clients). Never presented. */
export interface ApplicationWithSecret extends Application {
  secretHash: string | null;
}

export interface NewApplication {
  name: string;
  type: ApplicationType;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  scopes?: string[];
  firstParty?: boolean;
  logoUri?: string | null;
}

/** PATCH: absent stays as it is; `logoUri: null` clears the logo. The type never changes. */
export interface ApplicationChanges {
  name?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  scopes?: string[];
  firstParty?: boolean;
  logoUri?: string | null;
}

export interface ApplicationListQuery {
  /** Case-insensitive substring of the name. */
  search?: string;
  limit?: number;
  cursor?: string;
}

export interface ApplicationPage {
  applications: Application[];
  nextCursor: string | null;
}
