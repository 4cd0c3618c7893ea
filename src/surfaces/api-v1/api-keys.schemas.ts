import { Type } from '@sinclair/typebox';
import { API_KEY_NAME_MAX } from '../../core/api-keys/api-key.service.js';
import { ShownOnce } from '../../http/idempotency.js';
import { Nullable, RoleSchema, Timestamp } from '../shared/schemas.js';

/** API keys on /api/v1: a key (never its secret), the created one (its secret, once), the body that creates one. */

export const ApiKeyV1 = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    prefix: Type.String({ description: 'The first characters of the key, to recognise it; never the whole key' }),
    role: RoleSchema,
    created_by: Type.String({ description: 'The user who made the key' }),
    created_at: Timestamp,
    expires_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
    last_used_at: Nullable(Timestamp),
  },
  { title: 'ApiV1ApiKey' },
);

export const CreatedApiKey = Type.Intersect([
  ApiKeyV1,
  Type.Object({ key: ShownOnce('The secret, to send as X-API-Key') }),
]);

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: API_KEY_NAME_MAX,
      description: `1-${API_KEY_NAME_MAX} printable characters`,
    }),
    role: Type.Optional(RoleSchema),
    expires_at: Type.Optional(Type.String({ description: 'ISO 8601 date-time in the future' })),
  },
  { additionalProperties: false },
);
