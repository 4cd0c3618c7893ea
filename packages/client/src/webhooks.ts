import type { WebhookEvent } from './api-types.js';

export type { WebhookEvent, WebhookEventType } from './api-types.js';

/** A delivery that is not Usher's: a bad or missing signature, or a timestamp outside the tolerance. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export interface VerifyWebhookOptions {
  /** Seconds a delivery's `webhook-timestamp` may be from now (replays); default 300. */
  toleranceSeconds?: number;
  /** The time now, in milliseconds (tests). */
  now?: number;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

const headerOf = (headers: HeaderBag, name: string): string | undefined => {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const value = bag[name] ?? bag[Object.keys(bag).find((k) => k.toLowerCase() === name) ?? ''];
  return Array.isArray(value) ? value[0] : value;
};

const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

/**
 * Checks a webhook delivery from Usher (Standard Webhooks 1.0) and answers its event, typed by its `type`.
 * `payload` is the request body exactly as received (not parsed and serialised again); `secret` the endpoint's
 * `whsec_…` secret, or several (while you roll a rotated one out). Rejects with WebhookVerificationError otherwise.
 * Web Crypto only (Node 20+, Deno, Bun, workers); the comparison is the platform's constant-time HMAC verify.
 */
export async function verifyWebhook(
  secret: string | string[],
  payload: string | Uint8Array,
  headers: HeaderBag,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  const id = headerOf(headers, 'webhook-id');
  const timestamp = headerOf(headers, 'webhook-timestamp');
  const signature = headerOf(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) throw new WebhookVerificationError('missing webhook headers');
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('bad webhook-timestamp');
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300))
    throw new WebhookVerificationError('webhook-timestamp is too old or too new');
  const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  const given = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .flatMap((s) => {
      try {
        return [fromBase64(s.slice(3))];
      } catch {
        return [];
      }
    });
  for (const s of ([] as string[]).concat(secret)) {
    const raw = fromBase64(s.startsWith('whsec_') ? s.slice(6) : s);
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    for (const g of given)
      if (await crypto.subtle.verify('HMAC', key, g, signed)) return JSON.parse(body) as WebhookEvent;
  }
  throw new WebhookVerificationError('no signature matches');
}
