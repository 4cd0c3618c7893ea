import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import {
  ApplicationList,
  ApplicationListQuery,
  ApplicationParams,
  ApplicationV1,
  CreateApplicationBody,
  CreatedApplication,
  PatchApplicationBody,
  RotatedSecret,
} from './applications.schemas.js';
import { applicationChangesFromV1, applicationV1, envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** The provider's clients: created, changed, deleted and given new secrets by signed-in admins; read by staff. */
export function applicationsRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/applications',
    {
      config: { idempotent: true },
      schema: {
        security,
        summary:
          'Create an application, an OpenID Connect client (signed-in admins). web and machine applications get a client secret, in this answer only',
        body: CreateApplicationBody,
        response: { 201: Envelope(CreatedApplication), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { application, secret } = await core.applications.create(requirePrincipal(request), {
        ...applicationChangesFromV1(b),
        name: b.name,
        type: b.type,
      });
      return reply.code(201).send(envelope({ ...applicationV1(application), client_secret: secret }));
    },
  );

  r.get(
    '/applications',
    {
      schema: {
        security,
        summary: 'List applications, newest first (moderators and admins); secrets are never shown',
        querystring: ApplicationListQuery,
        response: { 200: ApplicationList, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? LIMITS.pageSizeDefault;
      const page = await core.applications.list(requirePrincipal(request), { ...request.query, limit });
      return {
        ...envelope(page.applications.map(applicationV1)),
        pagination: { limit, next_cursor: page.nextCursor },
      };
    },
  );

  r.get(
    '/applications/:id',
    {
      schema: {
        security,
        summary: 'An application, by id or client_id (moderators and admins); never its secret',
        params: ApplicationParams,
        response: { 200: Envelope(ApplicationV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request) =>
      envelope(applicationV1(await core.applications.get(requirePrincipal(request), request.params.id))),
  );

  r.patch(
    '/applications/:id',
    {
      schema: {
        security,
        summary: 'Change an application (signed-in admins): only the given fields; the result is checked whole',
        params: ApplicationParams,
        body: PatchApplicationBody,
        response: { 200: Envelope(ApplicationV1), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const changes = applicationChangesFromV1(request.body);
      const application = await core.applications.update(requirePrincipal(request), request.params.id, changes);
      return envelope(applicationV1(application));
    },
  );

  r.delete(
    '/applications/:id',
    {
      schema: {
        security,
        summary: 'Delete an application (signed-in admins): its client id and secret stop working at once',
        params: ApplicationParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.applications.delete(requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/applications/:id/secret',
    {
      schema: {
        security,
        summary:
          'Rotate the client secret of a web or machine application (signed-in admins): the new one is in this answer only, the old one stops working at once; 422 for spa and native applications, which have none',
        params: ApplicationParams,
        response: { 200: Envelope(RotatedSecret), ...errors(401, 403, 404, 422, 429) },
      },
    },
    async (request) => {
      const { application, secret } = await core.applications.rotateSecret(
        requirePrincipal(request),
        request.params.id,
      );
      return envelope({ ...applicationV1(application), client_secret: secret });
    },
  );
}
