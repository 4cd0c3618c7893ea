/** The webhook tables (migration 0014). Booleans are 1/0 on SQLite. */
export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: string;
  /** JSON: the event types, or ["*"]. */
  event_types: string;
  enabled: boolean | number;
  /** Sealed by USHER_SECRETS_KEY when set (context `webhook:<id>`). */
  secret: string;
  previous_secret: string | null;
  previous_secret_until: string | null;
  locked_until: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  response_status: number | null;
  duration_ms: number | null;
  last_error: string | null;
  created_at: string;
}

export interface WebhookSchema {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
