import { auditEvent, sourceOf } from '../audit.js';
import { notFound } from '../errors.js';
import type { EventBus } from '../events.js';
import { assertCanManageSessions } from '../policy.js';
import type { SessionInfo, Storage } from '../storage.js';
import type { Principal } from '../types.js';

/**
 * A user's sessions: listed and ended by the user (never by an API key,
 * which has no sessions) or by an admin. An ended session's access and
 * refresh tokens stop working at once, on every instance (the bus).
 */
export interface SessionsService {
  list(actor: Principal, userId: string): Promise<Array<SessionInfo & { current: boolean }>>;
  end(actor: Principal, userId: string, sessionId: string): Promise<void>;
  endAll(actor: Principal, userId: string): Promise<void>;
}

export function createSessionsService(storage: Storage, bus: EventBus, now: () => number): SessionsService {
  const iso = () => new Date(now()).toISOString();
  return {
    async list(actor, userId) {
      assertCanManageSessions(actor, userId);
      return (await storage.sessions.liveOf(userId, iso())).map((s) => ({ ...s, current: s.id === actor.sessionId }));
    },

    async end(actor, userId, sessionId) {
      assertCanManageSessions(actor, userId);
      const at = iso();
      const ended = await storage.transaction(async (s) => {
        if (!(await s.sessions.revokeOf(userId, sessionId, at, 'revoked'))) return false;
        await s.audit.record(auditEvent(sourceOf(actor), { type: 'session.revoked', targetId: userId, details: { session_id: sessionId } }, at));
        return true;
      });
      if (!ended) throw notFound('Session', sessionId);
      bus.publish({ kind: 'session', id: sessionId });
    },

    async endAll(actor, userId) {
      assertCanManageSessions(actor, userId);
      const at = iso();
      await storage.transaction(async (s) => {
        await s.sessions.revokeAllOf(userId, at, 'revoked_all');
        await s.audit.record(auditEvent(sourceOf(actor), { type: 'session.revoked', targetId: userId, details: { all: true } }, at));
      });
      // A user event drops every cached session of the user, here and on every other instance.
      bus.publish({ kind: 'user', id: userId });
    },
  };
}
