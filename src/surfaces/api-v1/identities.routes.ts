import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { IdentityParams, LinkedIdentityV1 } from './identity-providers.schemas.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';
import { linkedIdentityV1 } from './upstream.presenter.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** The signed-in user's accounts at upstream identity providers: list, link (through the provider), unlink. */
export function identitiesRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/auth/identities',
    {
      schema: {
        security,
        summary: "The signed-in user's linked accounts at identity providers",
        response: { 200: Envelope(Type.Array(LinkedIdentityV1)), ...errors(401, 403, 429) },
      },
    },
    async (request) => envelope((await core.upstream.identities(requirePrincipal(request))).map(linkedIdentityV1)),
  );

  r.post(
    '/auth/identities/:provider/link',
    {
      config: { rateLimit: 'password' },
      schema: {
        security,
        summary:
          "Start linking an account at an identity provider (a sign-in within USHER_REAUTH_WINDOW needed): open authorization_url in the browser; the provider's callback links it",
        params: IdentityParams,
        response: {
          200: Envelope(Type.Object({ authorization_url: Type.String() }, { title: 'ApiV1IdentityLink' })),
          ...errors(401, 403, 404, 422, 429),
        },
      },
    },
    async (request) => {
      const url = await core.upstream.startLink(requirePrincipal(request), request.params.provider);
      return envelope({ authorization_url: url.href });
    },
  );

  r.delete(
    '/auth/identities/:provider',
    {
      schema: {
        security,
        summary: "Unlink the account at a provider; 422 when it is the user's last way to sign in",
        params: IdentityParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      await core.upstream.unlink(requirePrincipal(request), request.params.provider);
      return reply.code(204).send(null);
    },
  );
}
