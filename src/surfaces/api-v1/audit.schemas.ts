import { Type } from '@sinclair/typebox';
import { AUDIT_TYPES } from '../../core/audit.js';
import { CursorQuery, Nullable, PageSize, StringEnum, Timestamp } from '../shared/schemas.js';
import { Meta } from './schemas.js';

/** The audit log on /api/v1: an event, the query and the list. */

export const AuditEventV1 = Type.Object(
  {
    id: Type.String(),
    type: StringEnum(AUDIT_TYPES),
    actor_id: Nullable(Type.String({ description: 'The user or API key that acted; null for anonymous requests' })),
    target_id: Nullable(Type.String({ description: 'The user the event is about' })),
    ip: Nullable(Type.String()),
    user_agent: Nullable(Type.String()),
    created_at: Timestamp,
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'ApiV1AuditEvent' },
);

export const AuditQuery = Type.Object({
  actor_id: Type.Optional(Type.String({ maxLength: 64 })),
  target_id: Type.Optional(Type.String({ maxLength: 64 })),
  type: Type.Optional(StringEnum(AUDIT_TYPES)),
  since: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601; events at or after' })),
  until: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601; events before' })),
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: PageSize,
});

export const AuditList = Type.Object({
  data: Type.Array(AuditEventV1),
  pagination: Type.Object({ limit: Type.Integer(), next_cursor: Nullable(Type.String()) }),
  meta: Meta,
});
