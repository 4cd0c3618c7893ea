import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SESSION_PAGE } from '../../core/auth/sessions.service.js';
import type { Core } from '../../core/core.js';
import { selfOf } from '../../core/policy.js';
import type { Principal } from '../../core/types.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { IdParams } from '../shared/schemas.js';
import { envelope, sessionV1 } from './presenter.js';
import { ErrorV1, MessageV1 } from './schemas.js';
import { SessionList, SessionListQuery, SessionParams, UserSessionParams } from './sessions.schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** Sessions: your own under /auth, anyone's under /users/{id} for admins. */
export function sessionsRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  /** A page of a user's sessions, in the list shape of /api/v1 (`pagination.next_cursor`, `limit`). */
  const page = async (principal: Principal, userId: string, query: Static<typeof SessionListQuery>) => {
    const { sessions, nextCursor } = await core.sessions.list(principal, userId, {
      limit: query.limit,
      cursor: query.cursor,
    });
    return {
      ...envelope(sessions.map(sessionV1)),
      pagination: { limit: query.limit ?? SESSION_PAGE.default, next_cursor: nextCursor },
    };
  };

  r.get(
    '/auth/sessions',
    {
      schema: {
        security,
        summary: 'Your live sessions, newest first, a page at a time',
        querystring: SessionListQuery,
        response: { 200: SessionList, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      return page(me, selfOf(me), request.query);
    },
  );

  r.delete(
    '/auth/sessions/:id',
    {
      schema: {
        security,
        summary: 'End one of your sessions (404 if it is not yours)',
        params: SessionParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const me = requirePrincipal(request);
      await core.sessions.end(me, selfOf(me), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/auth/logout-all',
    {
      schema: {
        security,
        summary: 'End every session of yours, this one included',
        response: { 200: MessageV1, ...errors(401, 403, 429) },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      await core.sessions.endAll(me, selfOf(me));
      return envelope({ message: 'Every session ended' });
    },
  );

  r.get(
    '/users/:id/sessions',
    {
      schema: {
        security,
        summary: "A user's live sessions, newest first, a page at a time (admins)",
        params: IdParams,
        querystring: SessionListQuery,
        response: { 200: SessionList, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => page(requirePrincipal(request), request.params.id, request.query),
  );

  r.delete(
    '/users/:id/sessions/:sid',
    {
      schema: {
        security,
        summary: "End one of a user's sessions (admins)",
        params: UserSessionParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.sessions.end(requirePrincipal(request), request.params.id, request.params.sid);
      return reply.code(204).send(null);
    },
  );

  r.delete(
    '/users/:id/sessions',
    {
      schema: {
        security,
        summary: 'End every session of a user (admins)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 429) },
      },
    },
    async (request, reply) => {
      await core.sessions.endAll(requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
