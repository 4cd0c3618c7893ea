import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { scopeOf } from './scope.js';
import { type BaseUrl, listBody, userBody, versioned } from './presenter.js';
import { ifMatchOf, listParams } from './query.js';

/** /scim/v2/Users (RFC 7644 3.3-3.6). */
export function usersRoutes(app: FastifyInstance, core: Core, base: BaseUrl): void {
  const users = core.scim.users;

  app.post('/Users', async (request, reply) => {
    const member = await users.create(scopeOf(request), request.body);
    reply.code(201).header('location', `${base}/Users/${member.user.id}`);
    return versioned(reply, userBody(base, member));
  });

  app.get('/Users', async (request) => {
    const params = listParams(request);
    const page = await users.list(scopeOf(request), params);
    return listBody(page, (m) => userBody(base, m));
  });

  app.get<{ Params: { id: string } }>('/Users/:id', async (request, reply) =>
    versioned(reply, userBody(base, await users.get(scopeOf(request), request.params.id))),
  );

  app.put<{ Params: { id: string } }>('/Users/:id', async (request, reply) =>
    versioned(
      reply,
      userBody(base, await users.replace(scopeOf(request), request.params.id, request.body, ifMatchOf(request))),
    ),
  );

  app.patch<{ Params: { id: string } }>('/Users/:id', async (request, reply) =>
    versioned(
      reply,
      userBody(base, await users.patch(scopeOf(request), request.params.id, request.body, ifMatchOf(request))),
    ),
  );

  app.delete<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
    await users.remove(scopeOf(request), request.params.id, ifMatchOf(request));
    return reply.code(204).send();
  });
}
