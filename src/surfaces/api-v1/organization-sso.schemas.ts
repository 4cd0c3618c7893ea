import { Type } from '@sinclair/typebox';
import { ORG_PROVIDER_TYPES } from '../../core/upstream/org-sso.service.js';
import { IDP_LIMITS } from '../../core/upstream/provider.rules.js';
import { StringEnum } from '../shared/schemas.js';
import { IdentityProviderV1, providerFields } from './identity-providers.schemas.js';
import { Meta } from './schemas.js';

/** Single sign-on per organization on /api/v1: an identity provider tied to an organization, plus `enforced`. */

const { authorization_url: _a, token_url: _t, api_url: _u, ...oidcFields } = providerFields;

export const OrgProviderType = StringEnum(ORG_PROVIDER_TYPES, {
  description:
    "oidc: the company's OpenID provider (Okta, Entra ID with its tenant issuer, Keycloak…), by its issuer and discovery; google and microsoft: oidc with their issuers filled in",
});

export const OrganizationSsoV1 = Type.Object(
  {
    ...IdentityProviderV1.properties,
    type: OrgProviderType,
    organization_id: Type.String(),
    enforced: Type.Boolean({ description: "The organization's members may not sign in with a password" }),
  },
  { title: 'ApiV1OrganizationSso' },
);

export const PutOrganizationSsoBody = Type.Object(
  {
    type: OrgProviderType,
    ...oidcFields,
    display_name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: IDP_LIMITS.nameMax,
        description: "Its name on pages and in the audit (default: the organization's name)",
      }),
    ),
    enabled: Type.Optional(
      Type.Boolean({ description: "Addresses at the organization's domains are routed to it (default true)" }),
    ),
    auto_create: Type.Optional(
      Type.Boolean({
        description: "A first sign-in with an address at one of the organization's domains makes a user (default true)",
      }),
    ),
    enforced: Type.Optional(
      Type.Boolean({
        description:
          "The organization's members (and addresses at its domains) may not sign in with a password; Usher's admins are exempt (default false)",
      }),
    ),
  },
  {
    additionalProperties: false,
    title: 'ApiV1PutOrganizationSso',
    description:
      'Sets the whole configuration: absent fields take their defaults, except client_secret, which stays as stored when absent (null removes it). issuer does not change while identities are linked (422)',
  },
);

export const OrganizationParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'The organization id' }),
});

export const DiscoverBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320, description: 'An email address (or a username: never routed)' }),
  },
  { additionalProperties: false, title: 'ApiV1SsoDiscover' },
);

export const DiscoverResponse = Type.Object(
  {
    data: Type.Union([
      Type.Object({
        sso: Type.Literal(true),
        provider_id: Type.String(),
        display_name: Type.String(),
        url: Type.String({
          description:
            "The console's way in through the provider (/auth/upstream/{id}?to=console); applications send people to /oidc/auth, whose page routes by itself",
        }),
      }),
      Type.Object({ sso: Type.Literal(false) }),
    ]),
    meta: Meta,
  },
  { title: 'ApiV1SsoDiscovery' },
);
