import type { Static } from '@sinclair/typebox';
import type { IdentityProvider, LinkedIdentity } from '../../core/storage.js';
import type { ProviderFields } from '../../core/upstream/provider.rules.js';
import type { CreateIdentityProviderBody, IdentityProviderV1, LinkedIdentityV1 } from './identity-providers.schemas.js';

/** A provider on /api/v1: never its client secret (whether one is stored), always its redirect URI. */
export const identityProviderV1 = (p: IdentityProvider, redirectUri: string): Static<typeof IdentityProviderV1> => ({
  id: p.id,
  type: p.type,
  issuer: p.issuer,
  client_id: p.clientId,
  has_client_secret: p.hasSecret,
  scopes: p.scopes,
  display_name: p.displayName,
  enabled: p.enabled,
  auto_create: p.autoCreate,
  authorization_url: p.authorizationUrl,
  token_url: p.tokenUrl,
  api_url: p.apiUrl,
  redirect_uri: redirectUri,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

export const providerFieldsFromV1 = (b: Partial<Static<typeof CreateIdentityProviderBody>>): ProviderFields => ({
  issuer: b.issuer,
  clientId: b.client_id,
  clientSecret: b.client_secret,
  scopes: b.scopes,
  displayName: b.display_name,
  enabled: b.enabled,
  autoCreate: b.auto_create,
  authorizationUrl: b.authorization_url,
  tokenUrl: b.token_url,
  apiUrl: b.api_url,
});

export const linkedIdentityV1 = (i: LinkedIdentity): Static<typeof LinkedIdentityV1> => ({
  provider_id: i.providerId,
  provider_type: i.providerType,
  display_name: i.providerName,
  subject: i.subject,
  email: i.email,
  linked_at: i.linkedAt,
});
