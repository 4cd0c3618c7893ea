import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';
import { SigningKeyV1, signingKeyV1 } from './signing-keys.schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** The token-signing keys: listed to moderators and admins, rotated by admins. */
export function signingKeysRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/signing-keys',
    {
      schema: {
        security,
        summary: 'List the token-signing keys (moderators and admins): next, current, and retired ones still verifying',
        response: { 200: Envelope(Type.Array(SigningKeyV1)), ...errors(401, 403, 429) },
      },
    },
    async (request) => envelope((await core.signingKeys.list(requirePrincipal(request))).map(signingKeyV1)),
  );

  r.post(
    '/signing-keys/rotate',
    {
      schema: {
        security,
        summary:
          'Rotate the signing keys (admins): the next key (already published) signs, the current one retires and verifies until the tokens it signed expire, a new next key is made. 422 with HS256 (USHER_JWT_SECRET).',
        response: { 200: Envelope(Type.Array(SigningKeyV1)), ...errors(401, 403, 422, 429) },
      },
    },
    async (request) => envelope((await core.signingKeys.rotate(requirePrincipal(request))).map(signingKeyV1)),
  );
}
