import type { WebhookDelivery, WebhookEndpoint } from '../../core/storage.js';

/** Webhook endpoints and deliveries in the /api/v1 wire format (also the CLI's). */
export const webhookV1 = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  event_types: e.eventTypes,
  description: e.description,
  enabled: e.enabled,
  failing_since: e.failingSince,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
});

export const deliveryV1 = (d: WebhookDelivery) => ({
  id: d.id,
  message_id: d.messageId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  response_status: d.responseStatus,
  duration_ms: d.durationMs,
  last_error: d.lastError,
  next_attempt_at: d.status === 'pending' ? d.nextAttemptAt : null,
  created_at: d.createdAt,
});
