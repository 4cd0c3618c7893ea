import { isSelf } from '../policy.js';
import type { Principal } from '../types.js';

/**
 * The one rule for a change to how a user proves who they are (a new
 * password, a second factor turned on): every other session of the user
 * ends, and the caller's own session stays when the caller is that user.
 */
export function sessionsEndedBy(actor: Principal, userId: string, reason: string): { reason: string; keep?: string } {
  return { reason, keep: isSelf(actor, userId) ? (actor.sessionId ?? undefined) : undefined };
}
