import { randomBytes } from 'node:crypto';
import type { SigningKeyStore } from '../storage.js';

export interface SigningKey {
  kid: string;
  secret: Uint8Array;
}

/** The HS256 keys tokens are signed and checked with; see docs/decisions.md for why HMAC. */
export interface KeyRing {
  /** The key new tokens are signed with. */
  current(): SigningKey;
  /**
   * A key by id; reloads from the database (at most once a second) when another instance made one this one has not
   * seen.
   */
  find(kid: string): Promise<SigningKey | undefined>;
}

// A kid names a key and every token carries it in its header, so it is random: never derived from the key.
const newKid = () => randomBytes(12).toString('base64url');

/**
 * USHER_JWT_SECRET: one key, shared by every instance configured with it. Its
 * kid is random per process; any kid is checked against the one secret
 * (the signature decides), so instances need not agree on a kid.
 */
export function keyRingFromSecret(secret: string): KeyRing {
  const key = { kid: newKid(), secret: Buffer.from(secret) };
  return { current: () => key, find: async () => key };
}

/**
 * Keys live in the database so every instance, and every restart, signs and
 * checks with the same ones. The first is made by a migration (which runs
 * once however many instances start together); one is made here only if
 * none is left. A token naming a kid this instance has not seen makes it
 * reload, at most once a second.
 */
export async function loadKeyRing(store: SigningKeyStore, now: () => number): Promise<KeyRing> {
  let keys = await store.all();
  if (keys.length === 0) {
    await store.insert({ kid: newKid(), secret: randomBytes(64) }, new Date(now()).toISOString());
    keys = await store.all();
  }
  let byKid = new Map(keys.map((k) => [k.kid, k]));
  let lastReload = now();
  return {
    current: () => keys[0]!,
    find: async (kid) => {
      const hit = byKid.get(kid);
      if (hit || now() - lastReload < 1000) return hit;
      lastReload = now();
      keys = await store.all();
      byKid = new Map(keys.map((k) => [k.kid, k]));
      return byKid.get(kid);
    },
  };
}
