import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { scopeOf } from './scope.js';
import { type BaseUrl, groupBody, listBody, versioned } from './presenter.js';
import { excludedOf, ifMatchOf, listParams } from './query.js';

/** /scim/v2/Groups: the organization's roles as groups (core/scim/groups.ts). */
export function groupsRoutes(app: FastifyInstance, core: Core, base: BaseUrl): void {
  const groups = core.scim.groups;

  app.post('/Groups', async (request, reply) => {
    const view = await groups.create(scopeOf(request), request.body);
    reply.code(201).header('location', `${base}/Groups/${view.group.id}`);
    return versioned(reply, groupBody(base, view));
  });

  app.get('/Groups', async (request) => {
    const params = listParams(request);
    const page = await groups.list(scopeOf(request), params, !params.excluded.has('members'));
    return listBody(page, (v) => groupBody(base, v));
  });

  app.get<{ Params: { id: string } }>('/Groups/:id', async (request, reply) => {
    const withMembers = !excludedOf(request).has('members');
    return versioned(reply, groupBody(base, await groups.get(scopeOf(request), request.params.id, withMembers)));
  });

  app.put<{ Params: { id: string } }>('/Groups/:id', async (request, reply) =>
    versioned(
      reply,
      groupBody(base, await groups.replace(scopeOf(request), request.params.id, request.body, ifMatchOf(request))),
    ),
  );

  app.patch<{ Params: { id: string } }>('/Groups/:id', async (request, reply) => {
    const view = await groups.patch(scopeOf(request), request.params.id, request.body, ifMatchOf(request));
    return versioned(reply, groupBody(base, view));
  });

  app.delete<{ Params: { id: string } }>('/Groups/:id', async (request, reply) => {
    await groups.remove(scopeOf(request), request.params.id, ifMatchOf(request));
    return reply.code(204).send();
  });
}
