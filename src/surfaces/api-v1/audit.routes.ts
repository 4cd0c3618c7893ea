import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { LIMITS } from '../../core/users/user.rules.js';
import { requirePrincipal } from '../../http/principal.js';
import { BEARER_OR_KEY, errorResponses } from '../shared/responses.js';
import { auditEventV1, envelope } from './presenter.js';
import { AuditList, AuditQuery } from './audit.schemas.js';
import { ErrorV1 } from './schemas.js';

const errors = (...codes: number[]) => errorResponses(ErrorV1, ...codes);

/** The audit trail, for admins: newest first, cursor-paginated, filtered. */
export function auditRoutes(app: FastifyInstance, core: Core): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/audit-events',
    {
      schema: {
        security: BEARER_OR_KEY,
        summary: 'Audit events (admins): logins, logouts, user and key changes; never a secret',
        querystring: AuditQuery,
        response: { 200: AuditList, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const q = { ...request.query, limit: request.query.limit ?? LIMITS.pageSizeDefault };
      const { events, nextCursor } = await core.audit.list(requirePrincipal(request), {
        actorId: q.actor_id,
        targetId: q.target_id,
        type: q.type,
        since: q.since,
        until: q.until,
        cursor: q.cursor,
        limit: q.limit,
      });
      return { ...envelope(events.map(auditEventV1)), pagination: { limit: q.limit, next_cursor: nextCursor } };
    },
  );
}
