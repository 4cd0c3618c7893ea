import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import {
  CreateOrganizationBody,
  OrganizationList,
  OrganizationListQuery,
  OrganizationParams,
  OrganizationV1,
  PatchOrganizationBody,
} from './organizations.schemas.js';
import { organizationFromV1, organizationV1 } from './organizations.presenter.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** Organizations: created, changed and deleted by admins, read by moderators and admins. */
export function organizationsRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/organizations',
    {
      config: { idempotent: true },
      schema: {
        security,
        summary: 'Create an organization (admins); 409 when the slug or a domain is taken',
        body: CreateOrganizationBody,
        response: { 201: Envelope(OrganizationV1), ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const organization = await core.organizations.create(requirePrincipal(request), {
        ...organizationFromV1(request.body),
        name: request.body.name,
      });
      return reply.code(201).send(envelope(organizationV1(organization)));
    },
  );

  r.get(
    '/organizations',
    {
      schema: {
        security,
        summary: 'List organizations, newest first (moderators and admins)',
        querystring: OrganizationListQuery,
        response: { 200: OrganizationList, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? LIMITS.pageSizeDefault;
      const page = await core.organizations.list(requirePrincipal(request), { ...request.query, limit });
      return {
        ...envelope(page.organizations.map(organizationV1)),
        pagination: { limit, next_cursor: page.nextCursor },
      };
    },
  );

  r.get(
    '/organizations/:id',
    {
      schema: {
        security,
        summary: 'An organization, by id or slug (moderators and admins)',
        params: OrganizationParams,
        response: { 200: Envelope(OrganizationV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request) =>
      envelope(organizationV1(await core.organizations.get(requirePrincipal(request), request.params.id))),
  );

  r.patch(
    '/organizations/:id',
    {
      schema: {
        security,
        summary: 'Change an organization (admins): only the given fields; 409 when the slug or a domain is taken',
        params: OrganizationParams,
        body: PatchOrganizationBody,
        response: { 200: Envelope(OrganizationV1), ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request) => {
      const organization = await core.organizations.update(
        requirePrincipal(request),
        request.params.id,
        organizationFromV1(request.body),
      );
      return envelope(organizationV1(organization));
    },
  );

  r.delete(
    '/organizations/:id',
    {
      schema: {
        security,
        summary:
          'Delete an organization (admins), with its domains, memberships and invitations; its members’ organization tokens stop at their next refresh',
        params: OrganizationParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.organizations.delete(requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
