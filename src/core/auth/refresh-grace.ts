import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { hashSecret, newSecret } from '../security/secrets.js';
import type { RefreshTokenRecord, SessionStore } from '../storage.js';

/**
 * The refresh token's reuse grace window (USHER_REFRESH_REUSE_GRACE): two
 * tabs (or a retried request) sending one refresh token at once both get
 * the same successor, instead of the second use being taken for a stolen
 * copy that ends the session. After the window, reuse ends the session.
 *
 * The successor's secret is kept only as a hash, so each rotation seals the
 * successor beside the consumed token (same statement, no extra write):
 * AES-256-GCM under a key that is HMAC-SHA256 keyed by the consumed token's
 * secret over an epoch secret. Opening it takes both: a copy of the
 * database alone reveals nothing, and an old token alone reveals nothing
 * either. Epochs are one window long and their secrets (in the database,
 * shared by every instance) are dropped three windows after they were made,
 * at the next rotation of a new epoch or at the hourly sweep: past that, no
 * one can open what they sealed, not even with the old token.
 *
 * Only the failure path (a token already consumed) ever opens anything.
 */
export interface RefreshGrace {
  /**
   * What to keep beside `token` as it is consumed, for `next` to be answered again; undefined when the grace is off.
   */
  seal(token: string, next: string, at: number): Promise<string | undefined>;
  /**
   * For a consumed token sent again within its window: the live refresh token
   * its rotation led to (its successor, or, when that was itself rotated
   * meanwhile, the one that one led to, a few steps at most), undefined when
   * there is none to answer.
   */
  successor(token: string, record: RefreshTokenRecord, at: number): Promise<string | undefined>;
  /** Drops the epoch secrets past their time. */
  sweep(at: number): Promise<void>;
}

/** How many rotations within one window the grace follows to the live token. */
const MAX_STEPS = 4;
const ALGORITHM = 'aes-256-gcm';

export function refreshGrace(store: SessionStore, seconds: number): RefreshGrace {
  const windowMs = seconds * 1000;
  const epochOf = (at: number) => Math.floor(at / windowMs);
  const iso = (ms: number) => new Date(ms).toISOString();
  const keys = new Map<number, Promise<string | undefined>>();
  let current: { epoch: number; secret: Promise<string> } | undefined;

  const keyFor = (token: string, secret: string) =>
    createHmac('sha256', token).update(`usher refresh grace\0${secret}`).digest();
  const drop = async (at: number) => {
    await store.dropGraceKeys(iso(at - 3 * windowMs));
    for (const epoch of keys.keys()) if (epoch < epochOf(at) - 3) keys.delete(epoch);
  };
  // This epoch's secret: made once per epoch by whichever instance comes first, read by the others.
  const secretOf = (at: number): Promise<string> => {
    const epoch = epochOf(at);
    if (current?.epoch !== epoch) {
      // A new epoch is also when the old secrets go (a failure there only delays that to the next one).
      const secret = store
        .graceKey(epoch, newSecret(), iso(at))
        .then(async (s) => (await drop(at).catch(() => undefined), s));
      secret.catch(() => {
        if (current?.epoch === epoch) current = undefined;
        if (keys.get(epoch) === secret) keys.delete(epoch);
      });
      current = { epoch, secret };
      keys.set(epoch, secret);
    }
    return current.secret;
  };
  const storedSecret = (epoch: number): Promise<string | undefined> => {
    let secret = keys.get(epoch);
    if (!secret) keys.set(epoch, (secret = store.findGraceKey(epoch)));
    return secret;
  };

  async function open(token: string, sealed: string): Promise<string | undefined> {
    const [epochText, iv, body] = sealed.split('.');
    const epoch = Number(epochText);
    if (!Number.isSafeInteger(epoch) || !iv || !body) return undefined;
    const secret = await storedSecret(epoch);
    if (!secret) return undefined;
    try {
      const data = Buffer.from(body, 'base64url');
      const decipher = createDecipheriv(ALGORITHM, keyFor(token, secret), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(epochText!));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  return {
    async seal(token, next, at) {
      if (windowMs === 0) return undefined;
      const epoch = String(epochOf(at));
      const iv = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, keyFor(token, await secretOf(at)), iv);
      cipher.setAAD(Buffer.from(epoch));
      const body = Buffer.concat([cipher.update(next, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${epoch}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },

    async successor(token, record, at) {
      if (windowMs === 0 || !record.usedAt || !(Date.parse(record.usedAt) + windowMs > at)) return undefined;
      let secret = token;
      let row: RefreshTokenRecord | undefined = record;
      // Each later rotation happened later still, so it is within its own window too.
      for (let step = 0; step < MAX_STEPS && row.used; step++) {
        const next: string | undefined = row.successor ? await open(secret, row.successor) : undefined;
        row = next === undefined ? undefined : await store.refreshToken(hashSecret(next));
        if (!row || row.sessionId !== record.sessionId) return undefined;
        secret = next!;
      }
      return !row.used && Date.parse(row.expiresAt) > at ? secret : undefined;
    },

    sweep: async (at) => (windowMs === 0 ? undefined : drop(at)),
  };
}
