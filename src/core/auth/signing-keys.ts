import { createHash, randomBytes } from 'node:crypto';
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

// A kid names a key, it is no secret: every token carries it in its header.
const FIRST_KID = 'k1';

export function keyRingFromSecret(secret: string): KeyRing {
  const key = { kid: createHash('sha256').update(secret).digest('base64url').slice(0, 16), secret: Buffer.from(secret) };
  return { current: () => key, find: async (kid) => (kid === key.kid ? key : undefined) };
}

/**
 * Keys live in the database so every instance, and every restart, signs and
 * checks with the same ones. The first instance to start makes one under a
 * fixed kid, so instances starting at once all insert the same row, one wins
 * and every instance signs with its key from the first request on.
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
      .values({ kid: FIRST_KID, alg: 'HS256', secret: randomBytes(64).toString('base64url'), created_at: new Date(now()).toISOString() })
      .onConflict((oc) => oc.column('kid').doNothing())
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
