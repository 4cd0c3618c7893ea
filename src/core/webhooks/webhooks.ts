import type { Config } from '../../config.js';
import { createOutbound } from '../security/outbound.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Storage } from '../storage.js';
import { type WebhookService, createWebhookService } from './webhook.service.js';
import { type WebhookWorkerOptions, createWebhookWorker } from './webhook.worker.js';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './catalogue.js';
export { type PresentUser, withWebhookEvents } from './webhook-events.js';
export type { WebhookService };

/** The guard on webhook requests: the outbound guard, private addresses only with USHER_WEBHOOK_ALLOW_PRIVATE=on. */
export const webhookOutbound = (config: Config) =>
  createOutbound(
    { allowPrivate: config.outbound.webhookAllowPrivate, allowedHosts: [], timeoutSeconds: 10 },
    'USHER_WEBHOOK_ALLOW_PRIVATE',
  );

export const createWebhooks = (config: Config, storage: Storage, box: SecretBox, now: () => number): WebhookService =>
  createWebhookService({ storage, box, outbound: webhookOutbound(config), now });

/** The worker the app starts (at most 8 deliveries in flight per instance). */
export const startWebhookWorker = (
  config: Config,
  o: {
    storage: Storage;
    box: SecretBox;
    now: () => number;
    onError: (error: unknown, deliveryId: string) => void;
    span?: WebhookWorkerOptions['span'];
  },
) =>
  createWebhookWorker({
    storage: o.storage,
    box: o.box,
    outbound: webhookOutbound(config),
    now: o.now,
    span: o.span,
    concurrency: 8,
    onError: (error, d) => o.onError(error, d.id),
  });
