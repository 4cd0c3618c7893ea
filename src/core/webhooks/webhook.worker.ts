import { Webhook } from 'standardwebhooks';
import { auditEvent } from '../audit.js';
import type { Outbound } from '../security/outbound.js';
import type { SecretBox } from '../security/secret-box.js';
import type { AttemptOutcome, Storage, WebhookDelivery, WebhookEndpoint } from '../storage.js';
import { webhookSecretContext } from './webhook.service.js';

/** Retries after the 1st, 2nd… failed attempt: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then hourly. */
const DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];
/** A delivery is given up (failed, kept, resendable) once its next attempt would be more than a day after the event. */
const GIVE_UP_MS = 24 * 3600_000;
/** An endpoint whose every attempt failed for this long is disabled. */
const DISABLE_AFTER_MS = 3 * 24 * 3600_000;
/** An answer must come within 10 s; the claim outlasts it, so a crashed instance's delivery is retried after 15 s. */
const TIMEOUT_MS = 10_000;
const CLAIM_MS = 15_000;
/** At most this much of an answer is read. */
export const WEBHOOK_MAX_ANSWER = 64 * 1024;

/** The wait before the next attempt after `attempts` failed ones, ±10 % (jitter, so retries do not march together). */
export function retryDelay(attempts: number, random = Math.random()): number {
  const base = DELAYS_MS[Math.min(attempts, DELAYS_MS.length) - 1] ?? DELAYS_MS[0]!;
  return Math.round(base * (0.9 + 0.2 * random));
}

export interface WebhookWorkerOptions {
  storage: Storage;
  box: SecretBox;
  outbound: Outbound;
  /** The app's clock: when deliveries are due. */
  now: () => number;
  /** Deliveries in flight at once on this instance (each endpoint has one at a time everywhere). */
  concurrency: number;
  onError: (error: unknown, delivery: WebhookDelivery) => void;
  /** Runs each send in a trace span `webhook.send` when tracing is on (core.metrics.withSpan). */
  span?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

/** The `webhook-signature` header: one `v1,` signature per live secret (two for 24 h after a rotation). */
export function signatures(secrets: string[], messageId: string, at: Date, payload: string): string {
  return secrets.map((s) => new Webhook(s).sign(messageId, at, payload)).join(' ');
}

/**
 * Sends what the webhook outbox holds: claims endpoints whose oldest pending
 * delivery is due (each claim is the endpoint's, so its deliveries go one at a
 * time and in order, on every instance together), posts the event signed, and
 * records the attempt. A crash mid-delivery loses nothing: the claim lapses
 * and the delivery is sent again with the same `webhook-id`.
 */
export function createWebhookWorker(o: WebhookWorkerOptions) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  let running: Promise<void> | undefined;

  async function liveSecrets(endpointId: string): Promise<string[]> {
    const s = await o.storage.webhooks.secrets(endpointId);
    if (!s) return [];
    const context = webhookSecretContext(endpointId);
    const live = [o.box.open(s.secret, context)];
    if (s.previous && s.previousUntil && Date.parse(s.previousUntil) > o.now())
      live.push(o.box.open(s.previous, context));
    return live;
  }

  async function attempt(endpoint: WebhookEndpoint, d: WebhookDelivery): Promise<void> {
    const started = performance.now();
    let responseStatus: number | null = null;
    let error: string | null = null;
    try {
      const at = new Date();
      const timeout = AbortSignal.timeout(TIMEOUT_MS);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Usher-Webhooks/1.0',
        'webhook-id': d.messageId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signatures(await liveSecrets(endpoint.id), d.messageId, at, d.payload),
      };
      const send = () =>
        o.outbound.fetch(endpoint.url, {
          method: 'POST',
          headers,
          body: d.payload,
          signal: AbortSignal.any([timeout, stopping.signal]),
          maxBytes: WEBHOOK_MAX_ANSWER,
          truncate: true,
        });
      const response = await (o.span ? o.span('webhook.send', send) : send());
      responseStatus = response.status;
      if (response.status < 200 || response.status > 299) error = `answered ${response.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const durationMs = Math.round(performance.now() - started);
    if (stopping.signal.aborted && responseStatus === null) {
      // Shutting down: the attempt does not count; the delivery is due again at once (here or elsewhere).
      await o.storage.webhooks.attempted(d, { ...unchanged(d), durationMs }, endpoint.failingSince);
      return;
    }
    const now = o.now();
    const attempts = d.attempts + 1;
    if (error === null) {
      const outcome = {
        status: 'succeeded',
        attempts,
        nextAttemptAt: d.nextAttemptAt,
        responseStatus,
        durationMs,
        error,
      };
      return o.storage.webhooks.attempted(d, outcome as AttemptOutcome, null);
    }
    o.onError(new Error(error), d);
    const next = now + retryDelay(attempts);
    const giveUp = next > Date.parse(d.createdAt) + GIVE_UP_MS;
    const outcome: AttemptOutcome = {
      status: giveUp ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: giveUp ? d.nextAttemptAt : iso(next),
      responseStatus,
      durationMs,
      error,
    };
    const failingSince = endpoint.failingSince ?? iso(now);
    await o.storage.transaction(async (s) => {
      await s.webhooks.attempted(d, outcome, failingSince);
      if (now - Date.parse(failingSince) < DISABLE_AFTER_MS) return;
      await s.webhooks.update({ ...endpoint, enabled: false, failingSince, updatedAt: iso(now) });
      const details = { webhook_id: endpoint.id, url: endpoint.url, failing_since: failingSince };
      await s.audit.record(
        auditEvent({ actorId: null, client: null }, { type: 'webhook.disabled', targetId: null, details }, iso(now)),
      );
    });
  }

  const unchanged = (d: WebhookDelivery): Omit<AttemptOutcome, 'durationMs'> => ({
    status: 'pending',
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    responseStatus: d.responseStatus,
    error: d.lastError,
  });

  async function pass(): Promise<void> {
    while (!stopping.signal.aborted) {
      const free = o.concurrency - inFlight.size;
      if (free <= 0) return;
      const at = o.now();
      const claimed = await o.storage.webhooks.claim(iso(at), iso(at + CLAIM_MS), free);
      if (claimed.length === 0) return;
      for (const { endpoint, delivery } of claimed) {
        const p: Promise<void> = attempt(endpoint, delivery)
          .catch((error) => o.onError(error, delivery))
          .finally(() => {
            inFlight.delete(p);
            void tick();
          });
        inFlight.add(p);
      }
    }
  }

  function tick(): Promise<void> {
    if (stopping.signal.aborted) return Promise.resolve();
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    /** One pass: claims what is due (up to the free slots) and starts sending it. */
    tick,
    /** Resolves when nothing is in flight (tests). */
    async idle(): Promise<void> {
      while (running || inFlight.size > 0) await Promise.allSettled([running, ...inFlight]);
    },
    /** Aborts what is in flight (released, not counted as attempts) and waits for it. */
    async stop(): Promise<void> {
      stopping.abort();
      await Promise.allSettled([running, ...inFlight]);
    },
  };
}
