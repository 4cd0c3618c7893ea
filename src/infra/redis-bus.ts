import { randomUUID } from 'node:crypto';
import type { AuthEvent, EventBus } from '../core/events.js';
import type { RedisConnection } from './redis-connection.js';

const KINDS: ReadonlySet<string> = new Set<AuthEvent['kind']>(['session', 'user', 'api_key', 'signing_keys']);

export interface RedisBus extends EventBus {
  /** Resolves once the subscription is live or Redis has first failed. */
  readonly settled: Promise<void>;
}

/**
 * The event bus across instances: every event is published on one Redis
 * channel (`<prefix>events`), and a second connection, in subscriber mode,
 * hands other instances' events to the local listeners. Local listeners hear
 * a local event at once, in `publish`; the copy that comes back from Redis
 * carries this instance's origin id and is skipped, so they hear it once.
 *
 * Pub/sub delivers at most once: an event published while an instance is cut
 * off from Redis never reaches it. That is why the caches it clears also
 * expire by themselves after 1 s.
 */
export function createRedisBus(publisher: RedisConnection, subscriber: RedisConnection, prefix: string): RedisBus {
  const channel = `${prefix}events`;
  const origin = randomUUID();
  const listeners: Array<(event: AuthEvent) => void> = [];
  const deliver = (event: AuthEvent) => {
    for (const listener of listeners) listener(event);
  };

  subscriber.client.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const event = parse(message);
    if (event && event.origin !== origin) deliver({ kind: event.kind, id: event.id });
  });
  // Queued until Redis answers; ioredis subscribes again by itself after every reconnect.
  const subscribed = subscriber.client.subscribe(channel).then(
    () => {},
    (error) => subscriber.failed(error),
  );

  return {
    settled: Promise.all([publisher.settled, Promise.race([subscribed, subscriber.failure])]).then(() => {}),
    publish(event) {
      deliver(event);
      publisher.client
        .publish(channel, JSON.stringify({ origin, kind: event.kind, id: event.id }))
        .catch(publisher.failed);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    async close() {
      await Promise.all([publisher.close(), subscriber.close()]);
    },
  };
}

/** Another instance's event, or undefined for anything else on the channel. */
function parse(message: string): (AuthEvent & { origin: string }) | undefined {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return undefined;
    const { origin, kind, id } = value as Record<string, unknown>;
    if (typeof origin !== 'string' || typeof kind !== 'string' || !KINDS.has(kind) || typeof id !== 'string')
      return undefined;
    return { origin, kind: kind as AuthEvent['kind'], id };
  } catch {
    return undefined;
  }
}
