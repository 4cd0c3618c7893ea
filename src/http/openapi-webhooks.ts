import { type TSchema, Type } from '@sinclair/typebox';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../core/webhooks/webhooks.js';
import { Nullable, Timestamp } from '../surfaces/shared/schemas.js';
import { UserV1 } from '../surfaces/api-v1/users.schemas.js';
import type { Json } from './openapi-components.js';

/**
 * The OpenAPI document's `webhooks`: one entry per event type Usher sends
 * (the catalogue, core/webhooks/catalogue.ts), each a signed POST of
 * `{type, timestamp, data}` (Standard Webhooks 1.0). The SDK's event types
 * are generated from it.
 */
const Actor = Nullable(
  Type.Object({ id: Type.String({ description: 'The user or API key that acted' }) }, { title: 'WebhookActor' }),
);

const dataOf = (type: WebhookEventType): TSchema => {
  const family = type.split('.')[0];
  if (type === 'webhook.test') return Type.Object({ webhook_id: Type.String(), actor: Actor });
  if (family === 'user' || family === 'session' || family === 'identity' || family === 'passkey')
    return Type.Object(
      {
        user: Type.Optional(UserV1),
        user_id: Type.Optional(Type.String({ description: 'When the user is no longer there to show' })),
        actor: Actor,
      },
      {
        additionalProperties: true,
        description:
          'The user as /api/v1 shows it, the actor, and the safe details of the change (ids, names, from/to, reason, method)',
      },
    );
  return Type.Object(
    { actor: Actor },
    {
      additionalProperties: true,
      description:
        'The object named by its ids and names (application_id, client_id, key_id, provider_id, name, role…) and the actor; never a secret',
    },
  );
};

const header = (name: string, description: string) => ({
  name,
  in: 'header',
  required: true,
  schema: { type: 'string' },
  description,
});

const HEADERS = [
  header('webhook-id', "The event's id: the same on every retry and resend (deduplicate on it)"),
  header('webhook-timestamp', "The attempt's time, in Unix seconds"),
  header(
    'webhook-signature',
    '`v1,<base64 HMAC-SHA256 of id.timestamp.body>` per signing secret, separated by spaces (two for 24 h after a rotation)',
  ),
];

export function webhooksDocument(): Json {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `webhook${type
            .split(/[._]/)
            .map((p) => p[0]!.toUpperCase() + p.slice(1))
            .join('')}`,
          summary: `The ${type} event`,
          tags: ['webhooks'],
          security: [],
          parameters: HEADERS,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: Type.Object(
                  { type: Type.Literal(type), timestamp: Timestamp, data: dataOf(type) },
                  {
                    title: `WebhookEvent${type
                      .split(/[._]/)
                      .map((p) => p[0]!.toUpperCase() + p.slice(1))
                      .join('')}`,
                  },
                ),
              },
            },
          },
          responses: {
            '200': {
              description: 'Any 2xx within 10 s is success; anything else is retried (5 s … hourly, about a day)',
            },
          },
        },
      },
    ]),
  ) as Json;
}
