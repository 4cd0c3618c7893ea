import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import type { IdentityProvider } from '../../core/storage.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import {
  DiscoverBody,
  DiscoverResponse,
  OrganizationParams,
  OrganizationSsoV1,
  PutOrganizationSsoBody,
} from './organization-sso.schemas.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';
import { identityProviderV1, providerFieldsFromV1 } from './upstream.presenter.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/**
 * An organization's single sign-on (`/organizations/{id}/sso`: changed by
 * signed-in admins, read by staff) and home realm discovery for any sign-in
 * page (`POST /auth/sso/discover`: the address's domain alone decides).
 */
export function organizationSsoRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const sso = core.upstream.orgSso;
  const present = (p: IdentityProvider) => ({
    ...identityProviderV1(p, core.upstream.providers.redirectUri(p.id)),
    type: p.type as 'oidc' | 'google' | 'microsoft',
    organization_id: p.organizationId ?? '',
    enforced: p.enforced,
  });

  r.put(
    '/organizations/:id/sso',
    {
      schema: {
        security,
        summary:
          "Set an organization's single sign-on (signed-in admins): its OpenID provider, reached by the organization's email domains. Register the answer's redirect_uri at the provider",
        params: OrganizationParams,
        body: PutOrganizationSsoBody,
        response: {
          200: Envelope(OrganizationSsoV1),
          201: Envelope(OrganizationSsoV1),
          ...errors(400, 401, 403, 404, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const { type, enforced, ...rest } = request.body;
      const { provider, created } = await sso.put(requirePrincipal(request), request.params.id, type, {
        ...providerFieldsFromV1(rest),
        enforced,
      });
      return reply.code(created ? 201 : 200).send(envelope(present(provider)));
    },
  );

  r.get(
    '/organizations/:id/sso',
    {
      schema: {
        security,
        summary: "An organization's single sign-on (moderators and admins); the client secret is never shown",
        params: OrganizationParams,
        response: { 200: Envelope(OrganizationSsoV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => envelope(present(await sso.get(requirePrincipal(request), request.params.id))),
  );

  r.delete(
    '/organizations/:id/sso',
    {
      schema: {
        security,
        summary: "Remove an organization's single sign-on (signed-in admins): every identity linked at it is unlinked",
        description:
          'Refused (422, reason last_sign_in_method, details.users) when it would leave users with no way to sign in, unless force=true',
        params: OrganizationParams,
        querystring: Type.Object(
          {
            force: Type.Optional(Type.Boolean({ description: 'Delete even if users are left with no way to sign in' })),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      await sso.delete(requirePrincipal(request), request.params.id, { force: request.query.force === true });
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/auth/sso/discover',
    {
      config: { rateLimit: 'login' },
      schema: {
        security: [{}],
        summary:
          "Home realm discovery: whether an address's domain belongs to an organization with single sign-on (the domain alone decides, never whether an account exists)",
        body: DiscoverBody,
        response: { 200: DiscoverResponse, ...errors(400, 429) },
      },
    },
    async (request) => {
      const found = await sso.discover(request.body.email);
      if (!found) return envelope({ sso: false as const });
      return envelope({
        sso: true as const,
        provider_id: found.id,
        display_name: found.displayName,
        url: `/auth/upstream/${found.id}?to=console`,
      });
    },
  );
}
