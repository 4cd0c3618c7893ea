import { Type } from '@sinclair/typebox';
import { SESSION_PAGE } from '../../core/auth/sessions.service.js';
import { CursorQuery, Nullable, Timestamp, UserId } from '../shared/schemas.js';
import { Meta } from './schemas.js';

/** Sessions on /api/v1: a session, the query and the list, and the paths that name one. */

export const SessionV1 = Type.Object(
  {
    id: Type.String(),
    created_at: Timestamp,
    last_used_at: Timestamp,
    expires_at: Timestamp,
    ip: Nullable(Type.String()),
    user_agent: Nullable(Type.String()),
    current: Type.Boolean({ description: 'The session of the token making this request' }),
  },
  { title: 'ApiV1Session' },
);

export const SessionListQuery = Type.Object({
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SESSION_PAGE.max, default: SESSION_PAGE.default })),
});

export const SessionList = Type.Object(
  {
    data: Type.Array(SessionV1),
    pagination: Type.Object({
      limit: Type.Integer(),
      next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
    }),
    meta: Meta,
  },
  { title: 'ApiV1SessionList' },
);

export const UserSessionParams = Type.Object({ id: UserId(), sid: Type.String({ maxLength: 64 }) });

export const SessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
