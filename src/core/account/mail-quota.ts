import { type RateLimitStore, checkLimits } from '../rate-limit/rate-limit.js';

/** Mails with a code one address may receive per window, whoever asks for them. */
export const RECIPIENT_LIMIT = { mails: 3, windowMs: 15 * 60_000 };

/**
 * The per-recipient mail limit: every mail with a code (verification,
 * reset, a new address to prove) counts against its recipient, 3 a quarter
 * of an hour. Past it a request is answered as usual but nothing is mailed
 * (and no code issued, so the recipient's live code stays good): the answer
 * tells nobody whether the address is known or how often it was asked for,
 * and nothing anyone else sends ever blocks the recipient's own code.
 * Counters live in the rate-limit store (Redis when configured). Like the
 * lockout, it is no traffic limit: USHER_RATE_LIMIT=off leaves it on (a
 * gateway in front cannot count the recipients of an email change).
 */
export interface MailQuota {
  /** Counts one mail to `recipient`; false when it is over the limit (send nothing). */
  take(recipient: string): Promise<boolean>;
}

export function createMailQuota(store: RateLimitStore, now: () => number): MailQuota {
  return {
    async take(recipient) {
      const rule = {
        key: `rl:mail:${recipient.toLowerCase()}`,
        limit: RECIPIENT_LIMIT.mails,
        windowMs: RECIPIENT_LIMIT.windowMs,
      };
      return (await checkLimits(store, [rule], now())).allowed;
    },
  };
}
