import { createHash, timingSafeEqual } from 'node:crypto';
import { validationError } from '../errors.js';
import { type RateLimitStore, checkLimits } from '../rate-limit/rate-limit.js';
import type { Storage } from '../storage.js';
import type { InvitationWithHash } from './organization.types.js';

/** Wrong codes one address may try per window before every try is refused (as the account codes' 5 tries). */
export const INVITATION_TRIES = { limit: 5, windowMs: 15 * 60_000 };

/** What is stored of a code: the SHA-256 (hex) of the invitation id and the code. */
export const hashOf = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest('hex');

/** The one answer to a wrong, expired, revoked or used code: it does not say which. */
export const wrongInvitation = () =>
  validationError({ code: 'The code is wrong, or the invitation has expired or was revoked' });

/**
 * Finds the pending invitation a code opens for an address: the address's pending invitations, each code hash
 * compared in constant time. Every try is counted per address in the rate-limit store before any code is compared
 * (a check made before counting would let concurrent tries all pass it); past the limit every try (the right code
 * too) is refused until the window ends; the right code clears the address's counter.
 */
export function invitationProver(storage: Storage, counters: RateLimitStore, now: () => number) {
  const rule = (emailKey: string) => ({
    key: `rl:invitation:${emailKey}`,
    limit: INVITATION_TRIES.limit,
    windowMs: INVITATION_TRIES.windowMs,
  });
  return async (email: string, code: string): Promise<InvitationWithHash> => {
    // An address no invitation can have is refused before it is counted (or kept as a counter's key).
    if (email.length === 0 || email.length > 255) throw wrongInvitation();
    const key = email.toLowerCase();
    if (!(await checkLimits(counters, [rule(key)], now())).allowed) throw wrongInvitation();
    const given = /^\d{6}$/.test(code) ? code : '';
    const found = given
      ? (await storage.invitations.pendingFor(key, new Date(now()).toISOString())).find((i) => {
          const a = Buffer.from(hashOf(i.id, given));
          const b = Buffer.from(i.codeHash);
          return a.length === b.length && timingSafeEqual(a, b);
        })
      : undefined;
    if (!found) throw wrongInvitation();
    await counters.reset([rule(key).key]);
    return found;
  };
}
