import { randomBytes } from 'node:crypto';
import { type AuditType, auditEvent, sourceOf } from '../audit.js';
import { notFound, validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageWebhooks, assertCanReadWebhooks } from '../policy.js';
import { type Outbound, OutboundError } from '../security/outbound.js';
import type { SecretBox } from '../security/secret-box.js';
import type { DeliveryStatus, Storage, Stores, WebhookDelivery, WebhookEndpoint } from '../storage.js';
import { DELIVERY_STATUSES } from '../storage.webhooks.js';
import type { Principal } from '../types.js';
import { WEBHOOK_EVENT_TYPES } from './catalogue.js';
import { deliveriesOf } from './webhook-events.js';

/** The context an endpoint's secrets are sealed in: its row. */
export const webhookSecretContext = (id: string): string => `webhook_endpoints:${id}`;

/** A new signing secret: `whsec_` and 24 random bytes in base64 (Standard Webhooks). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** How long a rotated-out secret still signs: 24 h. */
export const PREVIOUS_SECRET_MS = 24 * 3600_000;

export interface WebhookFields {
  url?: string;
  eventTypes?: string[];
  description?: string;
  enabled?: boolean;
}

export interface WebhookService {
  create(actor: Principal, fields: WebhookFields): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  list(actor: Principal): Promise<WebhookEndpoint[]>;
  get(actor: Principal, id: string): Promise<WebhookEndpoint>;
  update(actor: Principal, id: string, fields: WebhookFields): Promise<WebhookEndpoint>;
  delete(actor: Principal, id: string): Promise<void>;
  /** A new secret; the old one keeps signing (a second signature) for 24 h. */
  rotate(actor: Principal, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  /** Enqueues a `webhook.test` event for this endpoint only. */
  test(actor: Principal, id: string): Promise<WebhookDelivery>;
  /** Newest first; `cursor` is the previous page's `nextCursor`. */
  deliveries(
    actor: Principal,
    id: string,
    q: { status?: string; cursor?: string; limit: number },
  ): Promise<{ deliveries: WebhookDelivery[]; nextCursor: string | null }>;
  resend(actor: Principal, id: string, deliveryId: string): Promise<WebhookDelivery>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Webhook endpoints: made, changed, deleted and given new secrets by admins,
 * read by staff, each change with its audit event in one transaction. The
 * signing secret is answered once (create, rotate); it is stored sealed by
 * the secret box, because the worker must sign with it (a hash would not do).
 */
export function createWebhookService(o: {
  storage: Storage;
  box: SecretBox;
  outbound: Outbound;
  now: () => number;
}): WebhookService {
  const { storage, box } = o;
  const iso = (ms = o.now()) => new Date(ms).toISOString();
  const record = (s: Stores, actor: Principal, type: AuditType, e: WebhookEndpoint, extra: object = {}) =>
    s.audit.record(
      auditEvent(sourceOf(actor), { type, targetId: null, details: { webhook_id: e.id, url: e.url, ...extra } }, iso()),
    );
  const find = async (id: string) => {
    const found = UUID.test(id) ? await storage.webhooks.find(id) : undefined;
    if (!found) throw notFound('Webhook', id);
    return found;
  };
  /** Refuses what may not be saved; answers the URL as stored: parsed and written again (no control characters). */
  function check(e: WebhookEndpoint): string {
    let url: string;
    try {
      url = o.outbound.check(e.url).href;
    } catch (error) {
      if (error instanceof OutboundError) throw validationError({ url: `url is not reached: ${error.message}` });
      throw error;
    }
    if (url.length > 2000) throw validationError({ url: 'url must be at most 2000 characters' });
    const unknown = e.eventTypes.filter((t) => t !== '*' && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(t));
    if (unknown.length > 0)
      throw validationError({ event_types: `unknown event types: ${unknown.join(', ')} (see the catalogue)` });
    if (e.eventTypes.length === 0) throw validationError({ event_types: 'event_types must name at least one type' });
    return url;
  }

  return {
    async create(actor, fields) {
      assertCanManageWebhooks(actor);
      if (fields.url === undefined) throw validationError({ url: 'url is required' });
      const at = iso();
      const endpoint: WebhookEndpoint = {
        id: uuidv7(o.now()),
        url: fields.url,
        description: fields.description ?? '',
        eventTypes: fields.eventTypes ?? ['*'],
        enabled: fields.enabled ?? true,
        failingSince: null,
        createdAt: at,
        updatedAt: at,
      };
      endpoint.url = check(endpoint);
      const secret = newWebhookSecret();
      await storage.transaction(async (s) => {
        await s.webhooks.insert(endpoint, box.seal(secret, webhookSecretContext(endpoint.id)));
        await record(s, actor, 'webhook.created', endpoint, { event_types: endpoint.eventTypes });
      });
      return { endpoint, secret };
    },
    async list(actor) {
      assertCanReadWebhooks(actor);
      return storage.webhooks.list();
    },
    async get(actor, id) {
      assertCanReadWebhooks(actor);
      return find(id);
    },
    async update(actor, id, fields) {
      assertCanManageWebhooks(actor);
      const before = await find(id);
      const next: WebhookEndpoint = {
        ...before,
        url: fields.url ?? before.url,
        eventTypes: fields.eventTypes ?? before.eventTypes,
        description: fields.description ?? before.description,
        enabled: fields.enabled ?? before.enabled,
        updatedAt: iso(),
      };
      // Enabled again by hand: its failures so far no longer count towards disabling it.
      if (next.enabled && !before.enabled) next.failingSince = null;
      next.url = check(next);
      const changed = (['url', 'eventTypes', 'description', 'enabled'] as const).filter(
        (k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]),
      );
      if (changed.length === 0) return before;
      await storage.transaction(async (s) => {
        await s.webhooks.update(next);
        const names = changed.map((k) => (k === 'eventTypes' ? 'event_types' : k));
        await record(s, actor, 'webhook.updated', next, { fields: names });
      });
      return next;
    },
    async delete(actor, id) {
      assertCanManageWebhooks(actor);
      const endpoint = await find(id);
      await storage.transaction(async (s) => {
        if (!(await s.webhooks.delete(id))) throw notFound('Webhook', id);
        await record(s, actor, 'webhook.deleted', endpoint);
      });
    },
    async rotate(actor, id) {
      assertCanManageWebhooks(actor);
      const endpoint = await find(id);
      const secret = newWebhookSecret();
      await storage.transaction(async (s) => {
        const stored = await s.webhooks.secrets(id);
        if (!stored) throw notFound('Webhook', id);
        await s.webhooks.setSecrets(id, {
          secret: box.seal(secret, webhookSecretContext(id)),
          previous: stored.secret,
          previousUntil: iso(o.now() + PREVIOUS_SECRET_MS),
        });
        await record(s, actor, 'webhook.secret_rotated', endpoint);
      });
      return { endpoint, secret };
    },
    async test(actor, id) {
      assertCanManageWebhooks(actor);
      const endpoint = await find(id);
      const at = iso();
      const body = {
        type: 'webhook.test',
        timestamp: at,
        data: { webhook_id: id, actor: { id: sourceOf(actor).actorId } },
      };
      const [delivery] = deliveriesOf([endpoint], 'webhook.test', body, at);
      await storage.webhooks.enqueue([delivery!]);
      return delivery!;
    },
    async deliveries(actor, id, q) {
      assertCanReadWebhooks(actor);
      await find(id);
      if (q.status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(q.status))
        throw validationError({ status: `status must be one of ${DELIVERY_STATUSES.join(', ')}` }, undefined, 'query');
      const beforeId = q.cursor === undefined ? undefined : Buffer.from(q.cursor, 'base64url').toString('utf8');
      if (beforeId !== undefined && !UUID.test(beforeId))
        throw validationError({ cursor: 'Cursor is invalid' }, undefined, 'query');
      const status = q.status as DeliveryStatus | undefined;
      const rows = await storage.webhooks.deliveries(id, { status, beforeId, limit: q.limit + 1 });
      const deliveries = rows.slice(0, q.limit);
      const last = deliveries.at(-1);
      return {
        deliveries,
        nextCursor: rows.length > q.limit && last ? Buffer.from(last.id).toString('base64url') : null,
      };
    },
    async resend(actor, id, deliveryId) {
      assertCanManageWebhooks(actor);
      await find(id);
      const delivery = UUID.test(deliveryId) ? await storage.webhooks.delivery(id, deliveryId) : undefined;
      if (!delivery) throw notFound('Delivery', deliveryId);
      const at = iso();
      await storage.webhooks.resend(deliveryId, at);
      return { ...delivery, status: 'pending', attempts: 0, nextAttemptAt: at, lastError: null };
    },
  };
}
