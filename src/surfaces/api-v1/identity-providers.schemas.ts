import { Type } from '@sinclair/typebox';
import { PROVIDER_TYPES } from '../../core/storage.upstream.js';
import { IDP_LIMITS } from '../../core/upstream/provider.rules.js';
import { Nullable, StringEnum, Timestamp } from '../shared/schemas.js';
import { Meta } from './schemas.js';
import { UserV1 } from './users.schemas.js';

/** Upstream identity providers and linked identities on /api/v1. */

export const ProviderType = StringEnum(PROVIDER_TYPES, {
  description:
    "oidc: any OpenID provider, by its issuer and discovery; google and microsoft: oidc with their issuers filled in (microsoft: Entra multi-tenant, `https://login.microsoftonline.com/common/v2.0`, or a tenant's issuer); github: OAuth 2.0 with GitHub's user and email APIs",
});
const Url = (what: string) =>
  Type.String({ maxLength: IDP_LIMITS.urlMax, description: `${what}: https (http only on localhost)` });
const Scopes = Type.Array(Type.String({ maxLength: IDP_LIMITS.scopeMax }), {
  maxItems: IDP_LIMITS.scopesMax,
  description: 'Scopes asked for (default openid profile email; github: read:user user:email)',
});

export const IdentityProviderV1 = Type.Object(
  {
    id: Type.String(),
    type: ProviderType,
    issuer: Nullable(Type.String({ description: 'The OpenID issuer (null for github)' })),
    client_id: Type.String(),
    has_client_secret: Type.Boolean({ description: 'A client secret is stored (it is never shown)' }),
    scopes: Type.Array(Type.String()),
    display_name: Type.String(),
    enabled: Type.Boolean(),
    auto_create: Type.Boolean({ description: 'A first sign-in makes a user' }),
    authorization_url: Nullable(Type.String()),
    token_url: Nullable(Type.String()),
    api_url: Nullable(Type.String()),
    redirect_uri: Type.String({ description: 'The callback to register at the provider' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'ApiV1IdentityProvider' },
);

/** The fields an admin gives for a provider (shared with an organization's single sign-on). */
export const providerFields = {
  issuer: Type.Optional(Url('The OpenID issuer (oidc; google and microsoft have defaults)')),
  client_id: Type.String({ minLength: 1, maxLength: IDP_LIMITS.textMax }),
  client_secret: Type.Optional(
    Nullable(Type.String({ minLength: 1, maxLength: IDP_LIMITS.secretMax, description: 'Write-only: never answered' })),
  ),
  scopes: Type.Optional(Scopes),
  display_name: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: IDP_LIMITS.nameMax,
      description: 'The button says "Sign in with <display_name>"',
    }),
  ),
  enabled: Type.Optional(Type.Boolean({ description: 'Shown on the sign-in pages (default true)' })),
  auto_create: Type.Optional(Type.Boolean({ description: 'A first sign-in makes a user (default true)' })),
  authorization_url: Type.Optional(Url("github: the authorization endpoint (default GitHub's)")),
  token_url: Type.Optional(Url("github: the token endpoint (default GitHub's)")),
  api_url: Type.Optional(
    Url('github: the REST API (default https://api.github.com; GitHub Enterprise: https://<host>/api/v3)'),
  ),
};

export const CreateIdentityProviderBody = Type.Object(
  { type: ProviderType, ...providerFields },
  { additionalProperties: false, title: 'ApiV1CreateIdentityProvider' },
);

export const PatchIdentityProviderBody = Type.Object(
  {
    ...providerFields,
    client_id: Type.Optional(providerFields.client_id),
    issuer: Type.Optional(providerFields.issuer),
  },
  {
    additionalProperties: false,
    title: 'ApiV1PatchIdentityProvider',
    description:
      'Only the given fields change; client_secret null removes the secret. The type never changes; issuer, authorization_url, token_url and api_url do not while identities are linked (422)',
  },
);

export const IdentityProviderList = Type.Object(
  { data: Type.Array(IdentityProviderV1), meta: Meta },
  { title: 'ApiV1IdentityProviderList' },
);

export const PublicProviderList = Type.Object(
  {
    data: Type.Array(Type.Object({ id: Type.String(), type: ProviderType, display_name: Type.String() })),
    meta: Meta,
  },
  { title: 'ApiV1PublicIdentityProviders' },
);

export const ProviderParams = Type.Object({ id: Type.String({ maxLength: 64, description: 'The provider id' }) });

export const LinkedIdentityV1 = Type.Object(
  {
    provider_id: Type.String(),
    provider_type: ProviderType,
    display_name: Type.String({ description: "The provider's display name" }),
    subject: Type.String({ description: "The account's id at the provider" }),
    email: Nullable(Type.String()),
    linked_at: Timestamp,
  },
  { title: 'ApiV1LinkedIdentity' },
);

export const IdentityParams = Type.Object({ provider: Type.String({ maxLength: 64, description: 'The provider id' }) });

/** GET /users/{id}: admins also see the user's linked identities. */
export const UserWithIdentitiesV1 = Type.Intersect(
  [
    UserV1,
    Type.Object({
      identities: Type.Optional(
        Type.Array(LinkedIdentityV1, { description: "The user's linked accounts at identity providers (admins only)" }),
      ),
    }),
  ],
  { title: 'ApiV1UserWithIdentities' },
);
