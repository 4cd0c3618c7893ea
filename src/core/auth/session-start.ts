import { auditEvent } from '../audit.js';
import type { EventBus } from '../events.js';
import { uuidv7 } from '../ids.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import type { Storage } from '../storage.js';
import type { ClientInfo, User } from '../types.js';
import { notAMember, tokenGrants } from '../roles/token-grants.js';
import type { AccessTokens, GrantClaims } from './access-tokens.js';
import type { Tokens } from './tokens.js';

/** A session's tokens: a new access token for it, beside its refresh token (login, MFA and refresh all answer this). */
export const tokensFor = async (
  tokens: AccessTokens,
  userId: string,
  sessionId: string,
  refreshToken: string,
  grants?: GrantClaims,
): Promise<Tokens> => ({
  accessToken: await tokens.sign(userId, sessionId, grants),
  tokenType: 'Bearer',
  expiresIn: tokens.ttl,
  refreshToken,
});

/**
 * When a refresh token made at `at` expires: `refreshTtl` seconds later (the idle limit of a session). Storage caps
 * that at the session's end, which only the statement that stores the token reads (SessionStore, RefreshRotation).
 */
export const refreshTokenEnd = (at: number, refreshTtl: number): string =>
  new Date(at + refreshTtl * 1000).toISOString();

/**
 * A login's audit details: its session, how the user proved who they are (and with which upstream provider), and the
 * application it was for.
 */
const loginDetails = (sessionId: string, client: ClientInfo) => ({
  session_id: sessionId,
  method: client.method ?? 'password',
  ...(client.providerId && { provider_id: client.providerId }),
  ...(client.applicationId && { client_id: client.applicationId }),
});

/** What a session is started for: an organization (issue 28) its tokens then carry the member's grants of. */
export interface SessionFor {
  organizationId?: string;
}

export type SessionStarter = (
  user: User,
  client: ClientInfo,
  rehash?: string,
  options?: SessionFor,
) => Promise<{ tokens: Tokens; user: User; sessionId: string }>;

export interface SessionStartOptions {
  storage: Storage;
  tokens: AccessTokens;
  bus: EventBus;
  refreshTtl: number;
  sessionMaxAge: number;
  /** Live sessions a user may hold: a new one past it ends the user's oldest. */
  maxSessions: number;
  now: () => number;
}

/**
 * Starts a session for a user who has proved who they are (a password, and a
 * second factor when on): the session ends at a fixed time, each refresh
 * token lives `refreshTtl` (`refreshTokenEnd`) but never past it (storage
 * caps it). The login is recorded in the same transaction.
 *
 * No user holds more than `maxSessions` live sessions: the new one is
 * always kept and the oldest others past the cap end in the same
 * transaction, each audited `session.revoked` (reason `session_limit`), and
 * the bus stops their tokens at once on every instance. The login's write
 * to the user's row comes first and locks it (PostgreSQL), so parallel
 * logins of one user take turns and each counts the sessions the others
 * committed: the cap is never exceeded, not even by one (on SQLite every
 * transaction takes its turn anyway).
 */
export function sessionStarter(o: SessionStartOptions): SessionStarter {
  const iso = (ms: number) => new Date(ms).toISOString();
  return async (user, client, rehash, options = {}) => {
    // The token's roles and permissions, in one query; a non-member asking for an organization starts nothing.
    const organizationId = options.organizationId ?? null;
    const grants = await tokenGrants(o.storage.roles, user.id, organizationId);
    if (!grants) throw notAMember();
    const at = o.now();
    const when = iso(at);
    const sessionId = uuidv7(at);
    const refreshToken = newSecret();
    const sessionEnds = at + o.sessionMaxAge * 1000;
    const source = { actorId: user.id, client };
    const ended = await o.storage.transaction(async (s) => {
      await s.users.recordLogin(user.id, when, rehash);
      await s.sessions.insertSession({
        id: sessionId,
        userId: user.id,
        at: when,
        expiresAt: iso(sessionEnds),
        ip: client.ip,
        userAgent: client.userAgent ?? null,
        organizationId,
      });
      await s.sessions.insertRefreshToken({
        hash: hashSecret(refreshToken),
        sessionId,
        at: when,
        expiresAt: refreshTokenEnd(at, o.refreshTtl),
      });
      await s.audit.record(
        auditEvent(source, { type: 'user.login', targetId: user.id, details: loginDetails(sessionId, client) }, when),
      );
      const oldest = await s.sessions.endOldestOf(user.id, sessionId, o.maxSessions - 1, when, 'session_limit');
      for (const id of oldest) {
        await s.audit.record(
          auditEvent(
            source,
            { type: 'session.revoked', targetId: user.id, details: { session_id: id, reason: 'session_limit' } },
            when,
          ),
        );
      }
      return oldest;
    });
    for (const id of ended) o.bus.publish({ kind: 'session', id });
    return {
      tokens: await tokensFor(o.tokens, user.id, sessionId, refreshToken, grants),
      user: { ...user, lastLoginAt: when },
      sessionId,
    };
  };
}
