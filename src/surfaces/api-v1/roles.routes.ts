import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { envelope } from './presenter.js';
import { permissionsV1, roleV1 } from './roles.presenter.js';
import {
  CreateRoleBody,
  PatchRoleBody,
  PermissionsQuery,
  PermissionsV1,
  RoleList,
  RoleListQuery,
  RoleParams,
  RoleV1,
  UserIdParams,
  UserRoleList,
  UserRolesBody,
} from './roles.schemas.js';
import { Envelope, ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/**
 * The roles a team defines for its applications (issue 28): changed by admins, read by staff. They never grant
 * access to Usher's own API, which only the built-in admin/moderator/user role governs.
 */
export function rolesRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/roles',
    {
      config: { idempotent: true },
      schema: {
        security,
        summary: 'Define a role (admins): a name, a description, permissions, and a scope fixed for good',
        body: CreateRoleBody,
        response: { 201: Envelope(RoleV1), ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(envelope(roleV1(await core.roles.create(requirePrincipal(request), request.body)))),
  );

  r.get(
    '/roles',
    {
      schema: {
        security,
        summary: 'List roles by name (moderators and admins); ?search= and ?scope= filter',
        querystring: RoleListQuery,
        response: { 200: RoleList, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? LIMITS.pageSizeDefault;
      const page = await core.roles.list(requirePrincipal(request), { ...request.query, limit });
      return { ...envelope(page.roles.map(roleV1)), pagination: { limit, next_cursor: page.nextCursor } };
    },
  );

  r.get(
    '/roles/:id',
    {
      schema: {
        security,
        summary: 'A role, by id or name (moderators and admins)',
        params: RoleParams,
        response: { 200: Envelope(RoleV1), ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => envelope(roleV1(await core.roles.get(requirePrincipal(request), request.params.id))),
  );

  r.patch(
    '/roles/:id',
    {
      schema: {
        security,
        summary:
          'Change a role (admins): only the given fields; permissions are replaced whole; the scope never changes',
        params: RoleParams,
        body: PatchRoleBody,
        response: { 200: Envelope(RoleV1), ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request) =>
      envelope(roleV1(await core.roles.update(requirePrincipal(request), request.params.id, request.body))),
  );

  r.delete(
    '/roles/:id',
    {
      schema: {
        security,
        summary: 'Delete a role (admins): every user and member holding it loses it',
        params: RoleParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await core.roles.delete(requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/users/:id/roles',
    {
      schema: {
        security,
        summary: "A user's global roles (the user themself, moderators and admins)",
        params: UserIdParams,
        response: { 200: UserRoleList, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => envelope((await core.roles.userRoles(requirePrincipal(request), request.params.id)).map(roleV1)),
  );

  r.put(
    '/users/:id/roles',
    {
      schema: {
        security,
        summary: "Set a user's global roles, by id or name (admins); audited user.roles_changed",
        params: UserIdParams,
        body: UserRolesBody,
        response: { 200: UserRoleList, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) =>
      envelope(
        (await core.roles.setUserRoles(requirePrincipal(request), request.params.id, request.body.roles)).map(roleV1),
      ),
  );

  r.get(
    '/users/:id/permissions',
    {
      schema: {
        security,
        summary:
          "A user's effective permissions: their global roles', and with ?organization_id= their organization roles' there too",
        params: UserIdParams,
        querystring: PermissionsQuery,
        response: { 200: Envelope(PermissionsV1), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const organizationId = request.query.organization_id;
      const effective = await core.roles.permissionsOf(requirePrincipal(request), request.params.id, organizationId);
      return envelope(permissionsV1(effective, organizationId));
    },
  );
}
