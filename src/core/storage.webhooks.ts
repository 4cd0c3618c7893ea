/** The storage interface of webhooks (re-exported by storage.ts). */

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A webhook endpoint as the core sees it; its secrets are never part of it. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  /** The event types it receives; ["*"] for every one. */
  eventTypes: string[];
  enabled: boolean;
  /** Set while every attempt since then failed; null after a success. */
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The stored (sealed) signing secrets of an endpoint: the current one, and the previous one until it expires. */
export interface EndpointSecrets {
  secret: string;
  previous: string | null;
  previousUntil: string | null;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  /** The `webhook-id`: the event's id, the same on every attempt and resend. */
  messageId: string;
  eventType: string;
  /** The body sent, as JSON text. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  responseStatus: number | null;
  durationMs: number | null;
  lastError: string | null;
  createdAt: string;
}

/** What an attempt ended with. */
export interface AttemptOutcome {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
}

export interface WebhookStore {
  insert(endpoint: WebhookEndpoint, secret: string): Promise<void>;
  find(id: string): Promise<WebhookEndpoint | undefined>;
  secrets(id: string): Promise<EndpointSecrets | undefined>;
  /** Oldest first (a handful per deployment). */
  list(): Promise<WebhookEndpoint[]>;
  update(endpoint: WebhookEndpoint): Promise<void>;
  setSecrets(id: string, secrets: EndpointSecrets): Promise<void>;
  /** False when there was none; its deliveries go with it. */
  delete(id: string): Promise<boolean>;
  /** The enabled endpoints (the event's transaction picks those whose types match). */
  enabled(): Promise<WebhookEndpoint[]>;
  enqueue(deliveries: WebhookDelivery[]): Promise<void>;
  /**
   * Claims up to `limit` enabled endpoints whose oldest pending delivery is due, each locked until `lockUntil`
   * (FOR UPDATE SKIP LOCKED on PostgreSQL), and answers each with that delivery.
   */
  claim(
    at: string,
    lockUntil: string,
    limit: number,
  ): Promise<Array<{ endpoint: WebhookEndpoint; delivery: WebhookDelivery }>>;
  /** Records an attempt, and frees the endpoint for its next delivery; `failingSince` as it now is. */
  attempted(delivery: WebhookDelivery, outcome: AttemptOutcome, failingSince: string | null): Promise<void>;
  /** Newest first, after `beforeId`. */
  deliveries(
    endpointId: string,
    q: { status?: DeliveryStatus; beforeId?: string; limit: number },
  ): Promise<WebhookDelivery[]>;
  delivery(endpointId: string, id: string): Promise<WebhookDelivery | undefined>;
  /** Makes a delivery pending again, due at `at`, with its attempts reset. */
  resend(id: string, at: string): Promise<void>;
  /** Deletes finished (succeeded or failed) deliveries made before `at`. */
  sweep(at: string): Promise<void>;
  /** Pending deliveries and the oldest one's creation time (for the metrics). */
  backlog(): Promise<{ pending: number; oldest: string | null }>;
  /** Deliveries being retried (pending after a failed attempt) and given up (failed, kept until swept): the dashboard's. */
  failures(): Promise<{ failing: number; gaveUp: number }>;
}
