import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';

export interface SigningKey {
  kid: string;
  secret: Uint8Array;
}

/** The HS256 keys tokens are signed and checked with; see docs/decisions.md for why HMAC. */
export interface KeyRing {
  /** The key new tokens are signed with. */
  current(): SigningKey;
  /** A key by id; reloads from the database (at most once a second) when another instance made one this one has not seen. */
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
 * checks with the same ones. The first instance to start makes one; instances
 * starting at once may each make one, and all of them are valid (a token
 * naming a kid this instance has not seen makes it reload).
 */
export async function loadKeyRing(db: Kysely<Schema>, now: () => number): Promise<KeyRing> {
  const load = async () => {
    const rows = await db.selectFrom('signing_keys').selectAll().where('alg', '=', 'HS256').orderBy('created_at').orderBy('kid').execute();
    return rows.map((r) => ({ kid: r.kid, secret: Buffer.from(r.secret, 'base64url') }));
  };
  let keys = await load();
  if (keys.length === 0) {
    await db
      .insertInto('signing_keys')
      .values({ kid: newKid(), alg: 'HS256', secret: randomBytes(64).toString('base64url'), created_at: new Date(now()).toISOString() })
      .execute();
    keys = await load();
  }
  let byKid = new Map(keys.map((k) => [k.kid, k]));
  let lastReload = now();
  return {
    current: () => keys[0]!,
    find: async (kid) => {
      const hit = byKid.get(kid);
      if (hit || now() - lastReload < 1000) return hit;
      lastReload = now();
      keys = await load();
      byKid = new Map(keys.map((k) => [k.kid, k]));
      return byKid.get(kid);
    },
  };
}
