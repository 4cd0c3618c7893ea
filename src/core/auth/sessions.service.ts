import { auditEvent, sourceOf } from '../audit.js';
import { notFound, validationError } from '../errors.js';
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
  /** A page of the user's live sessions, newest first; `cursor` is the previous page's `nextCursor`. */
  list(
    actor: Principal,
    userId: string,
    page?: { limit?: number; cursor?: string },
  ): Promise<{ sessions: Array<SessionInfo & { current: boolean }>; nextCursor: string | null }>;
  end(actor: Principal, userId: string, sessionId: string): Promise<void>;
  endAll(actor: Principal, userId: string): Promise<void>;
}

/** A page of sessions: 50 by default, at most 100. */
export const SESSION_PAGE = { default: 50, max: 100 } as const;

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SESSION_ID = /^[0-9a-f-]{36}$/;

// Opaque to clients: the last session's creation time and id, the keyset of the next page.
const encodeCursor = (s: SessionInfo): string => Buffer.from(JSON.stringify([s.createdAt, s.id])).toString('base64url');

function decodeCursor(raw: string): { createdAt: string; id: string } {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    c = undefined;
  }
  if (
    !Array.isArray(c) ||
    c.length !== 2 ||
    typeof c[0] !== 'string' ||
    typeof c[1] !== 'string' ||
    !ISO_MS.test(c[0]) ||
    Number.isNaN(Date.parse(c[0])) ||
    !SESSION_ID.test(c[1])
  ) {
    throw validationError({ cursor: 'Cursor is invalid' }, undefined, 'query');
  }
  return { createdAt: c[0], id: c[1] };
}

export function createSessionsService(storage: Storage, bus: EventBus, now: () => number): SessionsService {
  const iso = () => new Date(now()).toISOString();
  return {
    async list(actor, userId, page = {}) {
      assertCanManageSessions(actor, userId);
      const limit = page.limit ?? SESSION_PAGE.default;
      if (!Number.isInteger(limit) || limit < 1 || limit > SESSION_PAGE.max)
        throw validationError({ limit: `limit must be 1-${SESSION_PAGE.max}` }, undefined, 'query');
      const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
      const rows = await storage.sessions.liveOf(userId, iso(), { limit: limit + 1, after });
      const sessions = rows.slice(0, limit).map((s) => ({ ...s, current: s.id === actor.sessionId }));
      const last = sessions[sessions.length - 1];
      return { sessions, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    async end(actor, userId, sessionId) {
      assertCanManageSessions(actor, userId);
      const at = iso();
      const ended = await storage.transaction(async (s) => {
        if (!(await s.sessions.revokeOf(userId, sessionId, at, 'revoked'))) return false;
        await s.audit.record(
          auditEvent(
            sourceOf(actor),
            { type: 'session.revoked', targetId: userId, details: { session_id: sessionId } },
            at,
          ),
        );
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
        await s.audit.record(
          auditEvent(sourceOf(actor), { type: 'session.revoked', targetId: userId, details: { all: true } }, at),
        );
      });
      // A user event drops every cached session of the user, here and on every other instance.
      bus.publish({ kind: 'user', id: userId });
    },
  };
}
