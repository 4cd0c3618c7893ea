/** An application as the provider needs it (core/applications): its record with the hash of its secret. */
export interface OidcApplication {
  id: string;
  name: string;
  type: 'web' | 'spa' | 'native' | 'machine';
  clientId: string;
  secretHash: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  firstParty: boolean;
  logoUri?: string | null;
}

export interface ApplicationLookup {
  findByClientId(clientId: string): Promise<OidcApplication | undefined>;
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const GRANTS: Record<OidcApplication['type'], string[]> = {
  web: ['authorization_code', 'refresh_token'],
  spa: ['authorization_code', 'refresh_token'],
  native: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
  machine: ['client_credentials'],
};

/**
 * An application as oidc-provider's client metadata. Confidential clients
 * (web, machine) authenticate with their secret (basic or post); the stored
 * value is the secret's hash, and the provider hashes what a client presents
 * before comparing (provider.ts). SPAs and native apps are public: PKCE
 * (S256) is required of them.
 */
export function clientMetadataOf(app: OidcApplication): Record<string, unknown> {
  const confidential = app.secretHash !== null && (app.type === 'web' || app.type === 'machine');
  return {
    client_id: app.clientId,
    client_name: app.name,
    ...(app.logoUri && { logo_uri: app.logoUri }),
    ...(confidential
      ? { client_secret: app.secretHash, token_endpoint_auth_method: 'client_secret_basic' }
      : { token_endpoint_auth_method: 'none' }),
    application_type: app.type === 'native' ? 'native' : 'web',
    grant_types: GRANTS[app.type],
    response_types: app.type === 'machine' ? [] : ['code'],
    redirect_uris: app.type === 'machine' ? [] : app.redirectUris,
    post_logout_redirect_uris: app.postLogoutRedirectUris,
    ...(app.scopes.length && { scope: app.scopes.join(' ') }),
    first_party: app.firstParty,
  };
}
