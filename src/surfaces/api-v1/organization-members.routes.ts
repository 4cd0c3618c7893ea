import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import {
  AcceptInvitationBody,
  AcceptedInvitation,
  AddMemberBody,
  CreateInvitationBody,
  InvitationList,
  InvitationListQuery,
  InvitationParams,
  InvitationV1,
  MemberList,
  MemberListQuery,
  MemberParams,
  MemberRolesBody,
  MemberV1,
  OrganizationParams,
  OwnOrganizationV1,
} from './organizations.schemas.js';
import { invitationV1, memberV1, ownOrganizationV1 } from './organizations.presenter.js';
import { envelope } from './presenter.js';
import { Envelope, ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);
const security = BEARER_OR_KEY;

/** An organization's members and invitations (admins change, staff read); the caller's own organizations. */
export function organizationMembersRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const orgs = core.organizations;
  const invitation = (i: Parameters<typeof orgs.invitations.status>[0]) => invitationV1(i, orgs.invitations.status(i));

  r.post(
    '/organizations/:id/members',
    {
      schema: {
        security,
        summary: 'Add a user to the organization with organization roles (admins); 409 when already a member',
        params: OrganizationParams,
        body: AddMemberBody,
        response: { 201: Envelope(MemberV1), ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const p = request.params;
      const member = await orgs.members.add(requirePrincipal(request), p.id, request.body.user_id, request.body.roles);
      return reply.code(201).send(envelope(memberV1(member)));
    },
  );

  r.get(
    '/organizations/:id/members',
    {
      schema: {
        security,
        summary: 'List the organization’s members, newest first, with their roles (moderators and admins)',
        params: OrganizationParams,
        querystring: MemberListQuery,
        response: { 200: MemberList, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? LIMITS.pageSizeDefault;
      const page = await orgs.members.list(requirePrincipal(request), request.params.id, { ...request.query, limit });
      return { ...envelope(page.members.map(memberV1)), pagination: { limit, next_cursor: page.nextCursor } };
    },
  );

  r.put(
    '/organizations/:id/members/:user_id/roles',
    {
      schema: {
        security,
        summary: 'Replace a member’s organization roles (admins)',
        params: MemberParams,
        body: MemberRolesBody,
        response: { 200: Envelope(MemberV1), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const p = request.params;
      return envelope(
        memberV1(await orgs.members.setRoles(requirePrincipal(request), p.id, p.user_id, request.body.roles)),
      );
    },
  );

  r.delete(
    '/organizations/:id/members/:user_id',
    {
      schema: {
        security,
        summary: 'Remove a member (admins): their organization tokens stop at the next refresh',
        params: MemberParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await orgs.members.remove(requirePrincipal(request), request.params.id, request.params.user_id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/organizations/:id/invitations',
    {
      schema: {
        security,
        summary: 'Invite an address (admins): a mail with a 6-digit code and a link; the answer never carries the code',
        params: OrganizationParams,
        body: CreateInvitationBody,
        response: { 201: Envelope(InvitationV1), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const created = await orgs.invitations.create(requirePrincipal(request), request.params.id, {
        email: b.email,
        roles: b.roles,
        expiresAt: b.expires_at,
      });
      return reply.code(201).send(envelope(invitation(created)));
    },
  );

  r.get(
    '/organizations/:id/invitations',
    {
      schema: {
        security,
        summary: 'List the organization’s invitations, newest first (moderators and admins)',
        params: OrganizationParams,
        querystring: InvitationListQuery,
        response: { 200: InvitationList, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? LIMITS.pageSizeDefault;
      const page = await orgs.invitations.list(requirePrincipal(request), request.params.id, {
        ...request.query,
        limit,
      });
      return { ...envelope(page.invitations.map(invitation)), pagination: { limit, next_cursor: page.nextCursor } };
    },
  );

  r.delete(
    '/organizations/:id/invitations/:invitation_id',
    {
      schema: {
        security,
        summary: 'Revoke an invitation (admins): its code stops working; 409 when accepted or revoked already',
        params: InvitationParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      await orgs.invitations.revoke(requirePrincipal(request), request.params.id, request.params.invitation_id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/auth/organizations',
    {
      schema: {
        security: [{ bearer: [] }],
        summary: 'The signed-in caller’s organizations, with their roles there',
        response: { 200: Envelope(Type.Array(OwnOrganizationV1)), ...errors(401, 403, 429) },
      },
    },
    async (request) => envelope((await orgs.mine(requirePrincipal(request))).map(ownOrganizationV1)),
  );

  r.post(
    '/auth/invitations/accept',
    {
      config: { rateLimit: 'mail' },
      schema: {
        security: [{ bearer: [] }],
        summary:
          'Join an organization with an invitation’s code, as the signed-in user the invitation was sent to; one 400 for a wrong, expired or revoked code',
        body: AcceptInvitationBody,
        response: { 200: Envelope(AcceptedInvitation), ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { organization } = await orgs.invitations.accept(principal, request.body.code);
      const own = (await orgs.mine(principal)).find((o) => o.organization.id === organization.id)!;
      return envelope({ organization: ownOrganizationV1(own) });
    },
  );
}
