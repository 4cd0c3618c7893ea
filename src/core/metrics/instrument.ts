import type { MailTransport } from '../mail/mail.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { Storage } from '../storage.js';
import { type Metrics, createMetrics } from './metrics.js';
import { countingSignIns } from './sign-ins.js';

/**
 * The core's metrics (made here unless given; `served`: /metrics is configured) and the storage it uses, counting
 * sign-ins; with the mail outbox's and the live-user cache's gauges.
 */
export function observed(given: Storage, givenMetrics: Metrics | undefined, now: () => number, served: boolean) {
  // Process figures only when someone can read them (each app of a test process would add its own GC observer).
  const metrics = givenMetrics ?? createMetrics({ defaults: served });
  const storage = countingSignIns(given, metrics);
  outboxGauges(storage, metrics, now);
  webhookGauges(storage, metrics, now);
  if (given.userCache) metrics.cache('users', given.userCache);
  return { metrics, storage };
}

/** The hasher, each hash in a span when tracing is on, and its queue's depth as gauges. */
export function instrumentedHasher(hasher: PasswordHasher, metrics: Metrics): PasswordHasher {
  const depth = hasher.depth?.bind(hasher);
  if (depth) {
    metrics.gauge('usher_password_hash_queue_waiting', 'Password hashes waiting for a slot', () => depth().waiting);
    metrics.gauge('usher_password_hash_running', 'Password hashes running now', () => depth().running);
  }
  // Spans only when tracing is on (checked per call: tracing starts after the core).
  const span = <T>(name: string, work: () => Promise<T>) => metrics.withSpan(name, work);
  return {
    ...hasher,
    needsRehash: (h) => hasher.needsRehash(h),
    close: () => hasher.close(),
    hash: (password, keys) => span('password.hash', () => hasher.hash(password, keys)),
    verify: (h, password, keys) => span('password.verify', () => hasher.verify(h, password, keys)),
    check: (h, password, keys) => span('password.verify', () => hasher.check(h, password, keys)),
    verifyDummy: (password, keys) => span('password.verify', () => hasher.verifyDummy(password, keys)),
  };
}

/** The mail outbox's depth and the age of its oldest pending mail, read at each scrape. */
export function outboxGauges(storage: Storage, metrics: Metrics, now: () => number): void {
  // One query per scrape: the first gauge reads, the second (collected after it) takes what it read.
  let read: ReturnType<Storage['mail']['pending']> | undefined;
  metrics.gauge('usher_mail_outbox_pending', 'Mails in the outbox not yet sent', async () => {
    read = storage.mail.pending();
    return (await read).count;
  });
  metrics.gauge('usher_mail_outbox_oldest_pending_seconds', 'Age of the oldest mail not yet sent', async () => {
    const taken = read ?? storage.mail.pending();
    read = undefined;
    const { oldestAt } = await taken;
    return oldestAt ? Math.max(0, (now() - Date.parse(oldestAt)) / 1000) : 0;
  });
}

/** The webhook outbox's pending deliveries and the age of the oldest, read at each scrape (one query, as the mail's). */
export function webhookGauges(storage: Storage, metrics: Metrics, now: () => number): void {
  let read: ReturnType<Storage['webhooks']['backlog']> | undefined;
  metrics.gauge('usher_webhook_outbox_pending', 'Webhook deliveries not yet made', async () => {
    read = storage.webhooks.backlog();
    return (await read).pending;
  });
  metrics.gauge(
    'usher_webhook_outbox_oldest_pending_seconds',
    'Age of the oldest webhook delivery not yet made',
    async () => {
      const taken = read ?? storage.webhooks.backlog();
      read = undefined;
      const { oldest } = await taken;
      return oldest ? Math.max(0, (now() - Date.parse(oldest)) / 1000) : 0;
    },
  );
}

/** Each mail sent in a span `mail.send` when tracing is on. */
export function tracedTransport(transport: MailTransport, metrics: Metrics): MailTransport {
  return { send: (mail) => metrics.withSpan('mail.send', () => transport.send(mail)), close: () => transport.close() };
}
