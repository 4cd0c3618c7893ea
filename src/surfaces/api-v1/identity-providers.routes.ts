import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import {
  CreateIdentityProviderBody,
  IdentityProviderList,
  IdentityProviderV1,
  PatchIdentityProviderBody,
  ProviderParams,
  PublicProviderList,
} from './identity-providers.schemas.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';
import { identityProviderV1, providerFieldsFromV1 } from './upstream.presenter.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** Upstream identity providers: changed by signed-in admins, read by staff; the enabled ones' buttons by anyone. */
export function identityProvidersRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const providers = core.upstream.providers;
  const present = (p: Parameters<typeof identityProviderV1>[0]) => identityProviderV1(p, providers.redirectUri(p.id));

  r.post(
    '/identity-providers',
    {
      config: { idempotent: true },
      schema: {
        security,
        summary:
          "Add an upstream identity provider (signed-in admins): any OpenID provider, Google, Microsoft or GitHub. Register the answer's redirect_uri at the provider",
        body: CreateIdentityProviderBody,
        response: { 201: Envelope(IdentityProviderV1), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { type, ...rest } = request.body;
      const created = await providers.create(requirePrincipal(request), type, providerFieldsFromV1(rest));
      return reply.code(201).send(envelope(present(created)));
    },
  );

  r.get(
    '/identity-providers',
    {
      schema: {
        security,
        summary: 'List the identity providers (moderators and admins); client secrets are never shown',
        response: { 200: IdentityProviderList, ...errors(401, 403, 429) },
      },
    },
    async (request) => envelope((await providers.list(requirePrincipal(request))).map(present)),
  );

  r.get(
    '/identity-providers/public',
    {
      schema: {
        security: [{}],
        summary:
          'The enabled identity providers, for sign-in buttons: id, type and display name (no credential needed)',
        response: { 200: PublicProviderList, ...errors(429) },
      },
    },
    async () =>
      envelope((await providers.enabled()).map((p) => ({ id: p.id, type: p.type, display_name: p.displayName }))),
  );

  r.get(
    '/identity-providers/:id',
    {
      schema: {
        security,
        summary: 'An identity provider (moderators and admins)',
        params: ProviderParams,
        response: { 200: Envelope(IdentityProviderV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => envelope(present(await providers.get(requirePrincipal(request), request.params.id))),
  );

  r.patch(
    '/identity-providers/:id',
    {
      schema: {
        security,
        summary: 'Change an identity provider (signed-in admins): only the given fields; the result is checked whole',
        params: ProviderParams,
        body: PatchIdentityProviderBody,
        response: { 200: Envelope(IdentityProviderV1), ...errors(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request) => {
      const changed = await providers.update(
        requirePrincipal(request),
        request.params.id,
        providerFieldsFromV1(request.body),
      );
      return envelope(present(changed));
    },
  );

  r.delete(
    '/identity-providers/:id',
    {
      schema: {
        security,
        summary: 'Delete an identity provider (signed-in admins): every identity linked at it is unlinked',
        description:
          'Refused (422, reason last_sign_in_method, details.users) when it would leave users with no way to sign in, unless force=true',
        params: ProviderParams,
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
      await providers.delete(requirePrincipal(request), request.params.id, { force: request.query.force === true });
      return reply.code(204).send(null);
    },
  );
}
