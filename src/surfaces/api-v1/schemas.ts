import { type TSchema, Type } from '@sinclair/typebox';
import { Timestamp } from '../shared/schemas.js';

/**
 * The envelope of /api/v1 (users-api-v1.md, users-api-basic.md): {data, meta} around every answer, and its errors.
 * The shapes of each resource are beside it: users.schemas.ts, auth.schemas.ts, api-keys.schemas.ts,
 * audit.schemas.ts, sessions.schemas.ts.
 */

export const Meta = Type.Object({ timestamp: Timestamp, version: Type.String() }, { title: 'ApiV1Meta' });

export const Envelope = <T extends TSchema>(data: T) => Type.Object({ data, meta: Meta });

export const ErrorV1 = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
      timestamp: Timestamp,
      path: Type.String(),
    }),
  },
  { title: 'ApiV1Error' },
);

export const MessageV1 = Envelope(Type.Object({ message: Type.String() }));
