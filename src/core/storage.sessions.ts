import type { Role, Status } from './types.js';

/**
 * The storage interface of sessions, their refresh tokens and the refresh
 * grace's secrets (re-exported by storage.ts).
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
}

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
  }): Promise<void>;
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
  insertRefreshToken(t: { hash: string; sessionId: string; at: string; expiresAt: string }): Promise<void>;
  /**
   * A refresh, all or nothing: consumes the token (marks an unused,
   * unexpired token used in one statement, so two concurrent refreshes
   * cannot both win), reads its session, and stores `next` for it when
   * `usable` (the core's rules, which must not wait on anything) accepts
   * the session. `next` never outlives its session: it expires at the
   * earlier of `next.expiresAt` and the session's end. The consumed token
   * stays used either way. Answers the session when `next` was stored.
   */
  rotateRefreshToken(
    hash: string,
    at: string,
    next: { hash: string; expiresAt: string; sealed?: string },
    usable: (session: SessionState) => boolean,
  ): Promise<SessionState | undefined>;
  /**
   * A refresh token's session, whether and when it was used (reuse
   * detection), and the successor sealed beside it when it was consumed
   * (`next.sealed` above: the reuse grace window).
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
