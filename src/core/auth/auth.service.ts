import type { Database } from '../../db/database.js';
import { AppError, unauthenticated, validationError } from '../errors.js';
import type { EventBus } from '../events.js';
import { uuidv7 } from '../ids.js';
import { addressOf } from '../rate-limit/address.js';
import * as sessions from '../sessions/session.repository.js';
import type { ClientInfo, Principal, User } from '../types.js';
import { findCredentials, updateUserRow } from '../users/user.repository.js';
import type { AccessTokens } from './access-tokens.js';
import type { ApiKeyAuth } from './api-key-auth.js';
import { StateCache } from './auth-cache.js';
import type { PasswordHasher } from './password-hasher.js';
import { hashSecret, newSecret } from './secrets.js';

export interface TokenSet {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  user: User;
}

export interface LoginInput {
  username?: string;
  email?: string;
  password: string;
}


export interface AuthService {
  login(input: LoginInput, client: ClientInfo): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<Omit<TokenSet, 'user'>>;
  logout(principal: Principal): Promise<void>;
  /** Ends the session a refresh token belongs to (logout without an access token). */
  logoutByRefreshToken(refreshToken: string): Promise<void>;
  /** The principal behind an access token; throws 401 for anything but a live session of an active user. */
  authenticateToken(token: string): Promise<Principal>;
  authenticateApiKey(key: string): Promise<Principal>;
}

export interface AuthDeps {
  database: Database;
  hasher: PasswordHasher;
  tokens: AccessTokens;
  apiKeys: ApiKeyAuth;
  bus: EventBus;
  refreshTtl: number;
  /** Absolute session lifetime, seconds. */
  sessionMaxAge: number;
  now: () => number;
}

// One message for unknown user, wrong password and password-less account: no user enumeration.
const invalidCredentials = () => unauthenticated('Invalid credentials');
const invalidRefresh = () => unauthenticated('Invalid or expired refresh token');
const invalidToken = () => unauthenticated('Invalid or expired access token');

export function createAuthService(deps: AuthDeps): AuthService {
  const { database, hasher, tokens, bus, now } = deps;
  const db = database.db;
  const iso = (ms = now()) => new Date(ms).toISOString();
  const queries = sessions.sessionQueries(database);
  const sessionCache = new StateCache(queries.state, now);
  sessionCache.listen(bus, ['user'], (s, e) => s.userId === e.id);

  async function issue(userId: string, sessionId: string, refreshToken: string) {
    return {
      accessToken: await tokens.sign(userId, sessionId),
      tokenType: 'Bearer' as const,
      expiresIn: tokens.ttl,
      refreshToken,
    };
  }

  async function endSession(sessionId: string, reason: string) {
    await sessions.revokeSession(db, sessionId, iso(), reason);
    bus.publish({ kind: 'session', id: sessionId });
  }

  return {
    async login(input, client) {
      if (input.username === undefined && input.email === undefined) throw validationError({ username: 'Username or email is required' });
      // "alice@example.com" typed into a username field is still an email.
      const login = input.username !== undefined && !input.username.includes('@') ? { username: input.username } : { email: input.username ?? input.email };
      // The hashing queue is shared fairly by address, and no one account may hold much of it.
      const keys = [addressOf(client.ip), `account:${(login.username ?? login.email ?? '').toLowerCase()}`];
      const found = await findCredentials(db, login);
      if (!found?.passwordHash) {
        await hasher.verifyDummy(input.password, keys);
        throw invalidCredentials();
      }
      if (!(await hasher.verify(found.passwordHash, input.password, keys))) throw invalidCredentials();
      // Checked only after the password, so an account's status is told only to its owner.
      if (found.user.status !== 'active') throw unauthenticated('Account is not active');

      const at = now();
      const sessionId = uuidv7(at);
      const refreshToken = newSecret();
      // The session ends at a fixed time; each refresh token lives refreshTtl, never past it.
      const sessionEnds = at + deps.sessionMaxAge * 1000;
      const expiresAt = iso(Math.min(at + deps.refreshTtl * 1000, sessionEnds));
      const rehash = hasher.needsRehash(found.passwordHash) ? await hasher.hash(input.password, keys) : undefined;
      await db.transaction().execute(async (trx) => {
        await queries.insertSession(trx, { id: sessionId, userId: found.user.id, now: iso(at), expiresAt: iso(sessionEnds) });
        await queries.insertRefreshToken(trx, { hash: hashSecret(refreshToken), sessionId, now: iso(at), expiresAt });
        await updateUserRow(trx, found.user.id, { last_login_at: iso(at), ...(rehash ? { password_hash: rehash } : {}) });
      });
      return { ...(await issue(found.user.id, sessionId, refreshToken)), user: { ...found.user, lastLoginAt: iso(at) } };
    },

    async refresh(refreshToken) {
      const hash = hashSecret(refreshToken);
      const at = now();
      const next = newSecret();
      // The happy path is one transaction: consume the token, check its session, store the next one.
      const state = await db.transaction().execute(async (trx) => {
        const sessionId = await queries.consume(trx, hash, iso(at));
        if (!sessionId) return undefined;
        const s = await queries.stateIn(trx, sessionId);
        if (!s || s.ended || s.expiresAt <= iso(at) || s.status !== 'active') return undefined;
        // The next token lives refreshTtl, but never past the session's absolute end, which a refresh does not move.
        const expiresAt = iso(Math.min(at + deps.refreshTtl * 1000, Date.parse(s.expiresAt)));
        await queries.insertRefreshToken(trx, { hash: hashSecret(next), sessionId, now: iso(at), expiresAt });
        return s;
      });
      if (state) return issue(state.userId, state.sessionId, next);
      const row = await sessions.findRefreshToken(db, hash);
      if (row && row.used_at !== null) {
        // A rotated-out token came back (or lost a race with its own twin): someone holds a copy. End the whole session.
        await endSession(row.session_id, 'refresh_token_reuse');
      }
      throw invalidRefresh();
    },

    async logout(principal) {
      if (!principal.sessionId) throw new AppError('UNPROCESSABLE_ENTITY', 'An API key has no session to end; revoke the key instead');
      await endSession(principal.sessionId, 'logout');
    },

    async logoutByRefreshToken(refreshToken) {
      const row = await sessions.findRefreshToken(db, hashSecret(refreshToken));
      if (!row) throw invalidRefresh();
      await endSession(row.session_id, 'logout');
    },

    async authenticateToken(token) {
      const claims = await tokens.verify(token);
      if (!claims) throw invalidToken();
      const state = await sessionCache.get(claims.sid);
      if (!state || state.ended || state.userId !== claims.sub || state.status !== 'active' || state.expiresAt <= iso()) {
        throw invalidToken();
      }
      return { userId: state.userId, role: state.role, sessionId: state.sessionId, apiKeyId: null, authAt: Date.parse(state.authenticatedAt) };
    },

    authenticateApiKey: (key) => deps.apiKeys.authenticate(key),
  };
}
