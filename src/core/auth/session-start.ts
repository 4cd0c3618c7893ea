import { auditEvent } from '../audit.js';
import { uuidv7 } from '../ids.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import type { Storage } from '../storage.js';
import type { ClientInfo, User } from '../types.js';
import type { AccessTokens } from './access-tokens.js';
import type { Tokens } from './auth.service.js';

/** A session's tokens: a new access token for it, beside its refresh token (login, MFA and refresh all answer this). */
export const tokensFor = async (tokens: AccessTokens, userId: string, sessionId: string, refreshToken: string): Promise<Tokens> => ({
  accessToken: await tokens.sign(userId, sessionId),
  tokenType: 'Bearer',
  expiresIn: tokens.ttl,
  refreshToken,
});

export type SessionStarter = (user: User, client: ClientInfo, rehash?: string) => Promise<{ tokens: Tokens; user: User }>;

/**
 * Starts a session for a user who has proved who they are (a password, and a
 * second factor when on): the session ends at a fixed time, each refresh
 * token lives `refreshTtl` but never past it. The login is recorded in the
 * same transaction.
 */
export function sessionStarter(o: { storage: Storage; tokens: AccessTokens; refreshTtl: number; sessionMaxAge: number; now: () => number }): SessionStarter {
  const iso = (ms: number) => new Date(ms).toISOString();
  return async (user, client, rehash) => {
    const at = o.now();
    const sessionId = uuidv7(at);
    const refreshToken = newSecret();
    const sessionEnds = at + o.sessionMaxAge * 1000;
    const expiresAt = iso(Math.min(at + o.refreshTtl * 1000, sessionEnds));
    await o.storage.transaction(async (s) => {
      await s.sessions.insertSession({ id: sessionId, userId: user.id, at: iso(at), expiresAt: iso(sessionEnds), ip: client.ip, userAgent: client.userAgent ?? null });
      await s.sessions.insertRefreshToken({ hash: hashSecret(refreshToken), sessionId, at: iso(at), expiresAt });
      await s.users.recordLogin(user.id, iso(at), rehash);
      await s.audit.record(auditEvent({ actorId: user.id, client }, { type: 'user.login', targetId: user.id, details: { session_id: sessionId } }, iso(at)));
    });
    return { tokens: await tokensFor(o.tokens, user.id, sessionId, refreshToken), user: { ...user, lastLoginAt: iso(at) } };
  };
}
