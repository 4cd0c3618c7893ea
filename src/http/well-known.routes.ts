import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/core.js';

/** A public JWK: only the public members of each key type are declared, so no private member can be serialised. */
const PublicJwk = Type.Object(
  {
    kty: Type.String({ description: 'EC, OKP or RSA' }),
    kid: Type.String(),
    alg: Type.String({ description: 'ES256, EdDSA or RS256' }),
    use: Type.Literal('sig'),
    crv: Type.Optional(Type.String()),
    x: Type.Optional(Type.String()),
    y: Type.Optional(Type.String()),
    n: Type.Optional(Type.String()),
    e: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'PublicJwk' },
);

/** How long verifiers may cache the JWKS: a next key is published a rotation ahead, so 5 minutes' staleness is safe. */
const JWKS_MAX_AGE = 300;

/** Discovery documents on the root, outside every API surface: the token-signing keys' JWKS. */
export function wellKnownRoutes(app: FastifyInstance, core: Core): void {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['system'],
        summary:
          "The public keys Usher's tokens are signed with (RFC 7517): the current key, the next one and retired ones until the tokens they signed have expired; empty with HS256",
        response: { 200: Type.Object({ keys: Type.Array(PublicJwk) }, { additionalProperties: false }) },
      },
    },
    async (_request, reply) =>
      reply
        .header('cache-control', `public, max-age=${JWKS_MAX_AGE}`)
        .removeHeader('pragma')
        .send({ keys: core.keys.published() }),
  );
}
