import { randomBytes } from 'node:crypto';
import type { Stores } from '../storage.js';

/** How long a two-step sign-in's state lives: 5 minutes. */
export const CHALLENGE_TTL_SECONDS = 300;

/**
 * Single-use states of sign-ins in two steps (a passkey's challenge, an
 * upstream provider's state, nonce and PKCE verifier): stored in the
 * database, so the step that spends one may reach any instance; taken once
 * (deleted as it is read), and refused after 5 minutes. The id is 128 random
 * bits, base64url: unguessable, so it may travel to the browser.
 */
export interface Challenges {
  issue(purpose: string, data: unknown, userId?: string | null): Promise<{ id: string; expiresAt: string }>;
  /** The challenge's user and data, once; undefined when unknown, spent, expired or for another purpose. */
  take<T>(id: string, purpose: string): Promise<{ userId: string | null; data: T } | undefined>;
}

export function createChallenges(
  stores: Pick<Stores, 'challenges'>,
  now: () => number,
  ttlSeconds = CHALLENGE_TTL_SECONDS,
): Challenges {
  return {
    async issue(purpose, data, userId = null) {
      const id = randomBytes(16).toString('base64url');
      const expiresAt = new Date(now() + ttlSeconds * 1000).toISOString();
      await stores.challenges.put({ id, purpose, userId, data: JSON.stringify(data), expiresAt });
      return { id, expiresAt };
    },
    async take<T>(id: string, purpose: string) {
      // Ids are base64url of 16 bytes: anything else is not one, and never reaches the database.
      if (!/^[A-Za-z0-9_-]{22}$/.test(id)) return undefined;
      const row = await stores.challenges.take(id, purpose, new Date(now()).toISOString());
      return row && { userId: row.userId, data: JSON.parse(row.data) as T };
    },
  };
}
