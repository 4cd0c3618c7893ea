import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { selfOf } from '../../core/policy.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { IdParams } from '../shared/schemas.js';
import { envelope, sessionV1 } from './presenter.js';
import { ErrorV1, MessageV1, SessionList, SessionParams, UserSessionParams } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const tags = ['api/v1'];
const security = BEARER_OR_KEY;

/** Sessions: your own under /auth, anyone's under /users/{id} for admins. */
export function sessionsRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/auth/sessions', { schema: { tags, security, summary: 'Your live sessions', response: { 200: SessionList, ...errors(401, 403, 429) } } }, async (request) => {
    const me = requirePrincipal(request);
    return envelope((await core.sessions.list(me, selfOf(me))).map(sessionV1));
  });

  r.delete(
    '/auth/sessions/:id',
    { schema: { tags, security, summary: 'End one of your sessions (404 if it is not yours)', params: SessionParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 429) } } },
    async (request, reply) => {
      const me = requirePrincipal(request);
      await core.sessions.end(me, selfOf(me), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post('/auth/logout-all', { schema: { tags, security, summary: 'End every session of yours, this one included', response: { 200: MessageV1, ...errors(401, 403, 429) } } }, async (request) => {
    const me = requirePrincipal(request);
    await core.sessions.endAll(me, selfOf(me));
    return envelope({ message: 'Every session ended' });
  });

  r.get(
    '/users/:id/sessions',
    { schema: { tags, security, summary: "A user's live sessions (admins)", params: IdParams, response: { 200: SessionList, ...errors(401, 403, 429) } } },
    async (request) => envelope((await core.sessions.list(requirePrincipal(request), request.params.id)).map(sessionV1)),
  );

  r.delete(
    '/users/:id/sessions/:sid',
    { schema: { tags, security, summary: "End one of a user's sessions (admins)", params: UserSessionParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 429) } } },
    async (request, reply) => {
      await core.sessions.end(requirePrincipal(request), request.params.id, request.params.sid);
      return reply.code(204).send(null);
    },
  );

  r.delete(
    '/users/:id/sessions',
    { schema: { tags, security, summary: "End every session of a user (admins)", params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 429) } } },
    async (request, reply) => {
      await core.sessions.endAll(requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
