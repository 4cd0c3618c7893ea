import type { SessionState } from './storage.refresh.js';

/**
 * The storage interface of sessions, their refresh tokens and the refresh
 * grace's secrets (re-exported by storage.ts).
 */

/** A refresh token as reuse detection and the grace window see it. */
export interface RefreshTokenRecord {
  sessionId: string;
  used: boolean;
  usedAt: string | null;
  expiresAt: string;
  successor: string | null;
}

/** A session as its owner sees it in a list. */
export interface SessionInfo {
  id: string;
  createdAt: string;
  /** The last login or refresh. */
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface SessionStore {
  /** Compiled, read at once: every authenticated request may need it. */
  state(sessionId: string): Promise<SessionState | undefined>;
  insertSession(s: {
    id: string;
    userId: string;
    at: string;
    expiresAt: string;
    ip: string | null;
    userAgent: string | null;
    /** The organization its tokens are for (issue 28), or null. */
    organizationId: string | null;
  }): Promise<void>;
  /** Makes a session's tokens be for another organization (or none). */
  setOrganization(sessionId: string, organizationId: string | null): Promise<void>;
  /**
   * Undoes a rotation the core refused after it was made (an organization the user no longer belongs to): the token
   * sent is usable again and `nextHash`, never given out, is gone.
   */
  undoRotation(hash: string, nextHash: string): Promise<void>;
  /** A page of the user's live sessions, newest first (by creation, then id), after the `after` session when given. */
  liveOf(
    userId: string,
    at: string,
    page: { limit: number; after?: { createdAt: string; id: string } },
  ): Promise<SessionInfo[]>;
  /** Ends the user's live sessions but `keepId` and the `keep` newest others; answers the ended ones' ids. */
  endOldestOf(userId: string, keepId: string, keep: number, at: string, reason: string): Promise<string[]>;
  /** Ends one live session of the user; false when the user has no such live session. */
  revokeOf(userId: string, sessionId: string, at: string, reason: string): Promise<boolean>;
  /** Stores a refresh token, its end capped at its session's end (see `RefreshRotation`). */
  insertRefreshToken(t: { hash: string; sessionId: string; at: string; expiresAt: string }): Promise<void>;
  /** Removes a refresh token that was never given out: the next token of a rotation the core refused. */
  forgetRefreshToken(hash: string): Promise<void>;
  /**
   * A refresh token's session, whether and when it was used (reuse
   * detection), and the successor sealed beside it when it was consumed
   * (`Rotation.next.sealed`: the reuse grace window).
   */
  refreshToken(hash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * The reuse grace window's secret of `epoch`: the stored one, or `candidate`, stored now (one per epoch for every
   * instance).
   */
  graceKey(epoch: number, candidate: string, at: string): Promise<string>;
  /** The stored secret of `epoch`, if it is still kept. */
  findGraceKey(epoch: number): Promise<string | undefined>;
  /** Forgets the grace window's secrets made before `before`: what they sealed can no longer be opened. */
  dropGraceKeys(before: string): Promise<void>;
  /** Ends a session (keeping the first end's time and reason if it had ended) and answers its user. */
  revoke(sessionId: string, at: string, reason: string): Promise<string | undefined>;
  /** Ends every live session of the user, but `exceptSessionId`. */
  revokeAllOf(userId: string, at: string, reason: string, exceptSessionId?: string): Promise<void>;
  deleteExpired(before: string): Promise<void>;
}
