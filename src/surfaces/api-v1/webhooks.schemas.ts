import { Type } from '@sinclair/typebox';
import { DELIVERY_STATUSES } from '../../core/storage.webhooks.js';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks/webhooks.js';
import { CursorQuery, Nullable, PageSize, StringEnum, Timestamp } from '../shared/schemas.js';
import { ShownOnce } from '../../http/idempotency.js';
import { Meta } from './schemas.js';

/** Webhook endpoints and their deliveries on /api/v1. */

const EventTypes = Type.Array(StringEnum(['*', ...WEBHOOK_EVENT_TYPES]), {
  minItems: 1,
  maxItems: 64,
  description: 'The event types sent to it; ["*"] (the default) for every one',
});

export const WebhookV1 = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    event_types: Type.Array(Type.String()),
    description: Type.String(),
    enabled: Type.Boolean(),
    failing_since: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'ApiV1Webhook' },
);

export const WebhookWithSecretV1 = Type.Intersect(
  [
    WebhookV1,
    Type.Object({
      secret: ShownOnce('The signing secret (whsec_…): verify deliveries with it (Standard Webhooks)'),
    }),
  ],
  { title: 'ApiV1WebhookWithSecret' },
);

const fields = {
  url: Type.String({
    minLength: 1,
    maxLength: 2000,
    description: 'https (private addresses need USHER_WEBHOOK_ALLOW_PRIVATE=on)',
  }),
  event_types: Type.Optional(EventTypes),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  enabled: Type.Optional(Type.Boolean({ description: 'Events are sent to it (default true)' })),
};

export const CreateWebhookBody = Type.Object(fields, { additionalProperties: false, title: 'ApiV1CreateWebhook' });

export const PatchWebhookBody = Type.Object(
  { ...fields, url: Type.Optional(fields.url) },
  { additionalProperties: false, title: 'ApiV1PatchWebhook', description: 'Only the given fields change' },
);

export const WebhookList = Type.Object({ data: Type.Array(WebhookV1), meta: Meta }, { title: 'ApiV1WebhookList' });

export const WebhookParams = Type.Object({ id: Type.String({ maxLength: 64, description: 'The webhook id' }) });
export const DeliveryParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'The webhook id' }),
  delivery_id: Type.String({ maxLength: 64, description: 'The delivery id' }),
});

export const DeliveryV1 = Type.Object(
  {
    id: Type.String(),
    message_id: Type.String({ description: 'The webhook-id header: the same on every attempt and resend' }),
    event_type: Type.String(),
    status: StringEnum(DELIVERY_STATUSES),
    attempts: Type.Integer(),
    response_status: Nullable(Type.Integer({ description: "The receiver's last answer's status" })),
    duration_ms: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    next_attempt_at: Nullable(Timestamp),
    created_at: Timestamp,
  },
  { title: 'ApiV1WebhookDelivery' },
);

export const DeliveriesQuery = Type.Object({
  status: Type.Optional(StringEnum(DELIVERY_STATUSES)),
  cursor: Type.Optional(CursorQuery('pagination.next_cursor of the previous page')),
  limit: PageSize,
});

export const DeliveryList = Type.Object(
  {
    data: Type.Array(DeliveryV1),
    pagination: Type.Object({ limit: Type.Integer(), next_cursor: Nullable(Type.String()) }),
    meta: Meta,
  },
  { title: 'ApiV1WebhookDeliveryList' },
);
