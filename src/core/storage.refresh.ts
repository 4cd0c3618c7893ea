import type { Role, Status } from './types.js';

/**
 * The storage interface of a refresh's rotation, and the session state it
 * answers (the rest of the storage interface is storage.ts, which re-exports
 * these).
 */

/** What authenticating a request needs to know about its session, in one indexed read. */
export interface SessionState {
  sessionId: string;
  userId: string;
  role: Role;
  status: Status;
  /** The session's absolute end: refreshing never moves it. */
  expiresAt: string;
  /** When the user gave their password for this session. */
  authenticatedAt: string;
  /** Revoked, or the user was deleted. */
  ended: boolean;
  /** The organization the session's tokens are for (sessions.organization_id), or null. */
  organizationId: string | null;
  /** Whether the user is still a member of that organization (read by the same query); false without one. */
  organizationMember: boolean;
}

/** One refresh's writes, as the core made them. */
export interface Rotation {
  /** The hash of the refresh token sent. */
  hash: string;
  at: string;
  /**
   * The next token: its hash; its end (`refreshTtl` from `at`); and, for the reuse grace window, what to keep
   * beside the consumed token (null when the grace is off).
   */
  next: { hash: string; expiresAt: string; sealed: string | null };
}

/**
 * Refresh-token rotation, a unit of work of its own (never part of a caller's transaction: refreshes arriving
 * together share one, src/storage/refresh.*.ts).
 */
export interface RefreshRotation {
  /**
   * All or nothing: consumes the token (marks an unused, unexpired token used in one statement, so two concurrent
   * refreshes cannot both win), reads its session, and stores `next` for it. No refresh token outlives its session:
   * `next` expires at the earlier of `next.expiresAt` and the session's end, read by the same statement. Answers
   * the session when the token was consumed, undefined when it was not; the core then decides, and drops `next`
   * (`forgetRefreshToken`) if it refuses the session.
   */
  rotate(rotation: Rotation): Promise<SessionState | undefined>;
}
