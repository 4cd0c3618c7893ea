import { type AuditSource, auditEvent, sourceOf } from '../audit.js';
import { AppError, unauthenticated, validationError } from '../errors.js';
import type { EventBus } from '../events.js';
import { addressOf } from '../rate-limit/address.js';
import { PATTERNS } from '../patterns.js';
import { type Lockout, accountKey } from '../security/lockout.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import type { SessionState, Storage } from '../storage.js';
import type { ClientInfo, Principal, User } from '../types.js';
import type { AccessClaims, AccessTokens } from './access-tokens.js';
import type { MfaChallenge, Tokens } from './tokens.js';
import type { RefreshGrace } from './refresh-grace.js';
import { type SessionStarter, refreshTokenEnd, tokensFor } from './session-start.js';
import { StateCache } from '../state-cache.js';
import { notAMember, refreshGrants, tokenGrants } from '../roles/token-grants.js';
import { FAILED_CHECK, invalidCredentials, invalidRefresh, invalidToken, ssoRequired } from './auth-errors.js';
import type { MfaService } from './mfa.service.js';

export interface LoginInput {
  username?: string;
  email?: string;
  password: string;
  /** The organization the session's tokens are for (the user must be a member; issue 28). */
  organizationId?: string;
}

/** A login's outcome: a session, or (with a second factor on) a challenge to answer first. */
export type LoginResult =
  | { tokens: Tokens; user: User; sessionId: string; mfa?: undefined }
  | { mfa: MfaChallenge; tokens?: undefined; user?: undefined };

export interface AuthService {
  login(input: LoginInput, client: ClientInfo): Promise<LoginResult>;
  /**
   * New tokens for the refresh token's session. `organizationId`: a string switches the session to that organization
   * (the user must be a member), null takes it out of any, undefined keeps the session's (refused once the user is
   * no longer a member there). A refusal for the organization (403) changes nothing: the refresh token still works.
   */
  refresh(refreshToken: string, client: ClientInfo, organizationId?: string | null): Promise<Tokens>;
  logout(principal: Principal): Promise<void>;
  /** Ends the session a refresh token belongs to (logout without an access token). */
  logoutByRefreshToken(refreshToken: string, client: ClientInfo): Promise<void>;
  /** The principal behind an access token; throws 401 for anything but a live session of an active user. */
  authenticateToken(token: string): Promise<Principal>;
  /** A live access token's claims (token introspection), else undefined. */
  introspect(token: string): Promise<AccessClaims | undefined>;
}

export interface AuthDeps {
  storage: Storage;
  hasher: PasswordHasher;
  lockout: Lockout;
  tokens: AccessTokens;
  bus: EventBus;
  /** Seconds a refresh token lives (the idle limit of a session). */
  refreshTtl: number;
  /** Unverified addresses cannot log in. */
  requireVerifiedEmail: boolean;
  /** Makes the challenge of a login with a second factor. */
  mfa: Pick<MfaService, 'challenge'>;
  /** Whether this user may not sign in with a password (an organization's enforced single sign-on covers them). */
  passwordRefused?: (user: User) => Promise<boolean>;
  /** Starts a session once the user has proved who they are (session-start.ts). */
  startSession: SessionStarter;
  /** The reuse grace window of a rotated refresh token (refresh-grace.ts). */
  grace: RefreshGrace;
  now: () => number;
  /** Where the session cache's hit and miss counts are shown (the metrics). */
  caches?: (name: string, counts: { hits: number; misses: number }) => void;
}

/** Sessions: login, refresh with rotation and reuse detection, logout, and authenticating access tokens. */
export function createAuthService(deps: AuthDeps): AuthService {
  const { storage, hasher, lockout, tokens, bus, now, startSession, grace } = deps;
  const iso = (ms = now()) => new Date(ms).toISOString();
  // Each cached session carries its times as numbers, so a request costs no date formatting or parsing.
  const sessionCache = new StateCache(async (id) => {
    const state = await storage.sessions.state(id);
    return state && { ...state, endsAt: Date.parse(state.expiresAt), authAt: Date.parse(state.authenticatedAt) };
  }, now);
  sessionCache.listen(bus, ['user'], (s, e) => s.userId === e.id);
  deps.caches?.('sessions', sessionCache);

  /**
   * Ends a session, recording why (a logout, or a refresh token that came back) in the audit trail in the same
   * transaction.
   */
  async function endSession(sessionId: string, type: 'user.logout' | 'session.refresh_reused', source: AuditSource) {
    const at = iso();
    await storage.transaction(async (s) => {
      const userId = await s.sessions.revoke(sessionId, at, type === 'user.logout' ? 'logout' : 'refresh_token_reuse');
      await s.audit.record(
        auditEvent(source, { type, targetId: userId ?? null, details: { session_id: sessionId } }, at),
      );
    });
    bus.publish({ kind: 'session', id: sessionId });
  }

  /** A failed login, in the audit trail: the account when it exists (never what was typed), and why. */
  async function loginFailed(client: ClientInfo, targetId: string | null, reason: string) {
    await storage.audit.record(
      auditEvent({ actorId: null, client }, { type: 'user.login_failed', targetId, details: { reason } }, iso()),
    );
  }

  /** A valid token of a live session of an active user: its claims and its session. */
  async function live(token: string) {
    const claims = await tokens.verify(token);
    if (!claims) return undefined;
    const state = await sessionCache.get(claims.sid);
    if (!state || state.ended || state.userId !== claims.sub || state.status !== 'active' || !(state.endsAt > now()))
      return undefined;
    return { claims, state };
  }

  return {
    async login(input, client) {
      if (input.username === undefined && input.email === undefined)
        throw validationError({ username: 'Username or email is required' });
      // "alice@example.com" typed into a username field is still an email.
      const login =
        input.username !== undefined && !input.username.includes('@')
          ? { username: input.username }
          : { email: input.username ?? input.email };
      const address = addressOf(client.ip);
      // A name with control characters names no account (and is never sent to the database).
      const typed = login.username ?? login.email ?? '';
      const found =
        PATTERNS.control.test(typed) || typed.length > 320 ? undefined : await storage.users.credentials(login);
      // Guesses are counted per account (a typed name that matches none locks the same way, telling nothing).
      const account = found ? accountKey(found.user.id) : `name:${typed.toLowerCase().slice(0, 320)}`;
      await lockout.check(account, address, now()).catch(async (error: unknown) => {
        await loginFailed(client, found?.user.id ?? null, 'locked_out');
        throw error;
      });
      // The hashing queue is shared fairly by address, and no one account may hold much of it.
      const keys = [address, account];
      // An imported hash beyond the cost bounds is refused unhashed, one past the time bound abandoned: both are wrong
      // passwords.
      const outcome = found?.passwordHash
        ? await hasher.check(found.passwordHash, input.password, keys)
        : (await hasher.verifyDummy(input.password, keys), 'wrong');
      if (!found?.passwordHash || outcome !== 'ok') {
        await lockout.failed(account, now());
        await loginFailed(
          client,
          found?.user.id ?? null,
          !found ? 'unknown_account' : !found.passwordHash ? 'no_password' : FAILED_CHECK[outcome],
        );
        throw invalidCredentials();
      }
      // With a second factor on, only its success clears the count and makes this address known (mfa.service.ts):
      // else an attacker holding the password would reset the count of wrong codes with each login.
      if (!found.user.mfaEnabled) await lockout.succeeded(account, address, now());
      // Checked only after the password, so an account's status is told only to its owner.
      if (found.user.status !== 'active') {
        await loginFailed(client, found.user.id, 'not_active');
        throw unauthenticated('Account is not active');
      }
      // Also only after the password: who an organization's enforced sign-on covers is told to those who know it.
      if (await deps.passwordRefused?.(found.user)) {
        await loginFailed(client, found.user.id, 'sso_required');
        throw ssoRequired();
      }
      if (deps.requireVerifiedEmail && !found.user.emailVerified) {
        await loginFailed(client, found.user.id, 'email_not_verified');
        throw new AppError('EMAIL_NOT_VERIFIED');
      }

      const rehash = hasher.needsRehash(found.passwordHash) ? await hasher.hash(input.password, keys) : undefined;
      // With a second factor on, the password only earns a short-lived challenge (POST /auth/mfa/verify).
      // The challenge keeps the organization asked for; the verify step's tokens carry its claims.
      if (found.user.mfaEnabled)
        return { mfa: await deps.mfa.challenge(found.user, client, rehash, { organizationId: input.organizationId }) };
      return startSession(found.user, client, rehash, { organizationId: input.organizationId });
    },

    async refresh(refreshToken, client, organizationId) {
      const hash = hashSecret(refreshToken);
      const at = now();
      const when = iso(at);
      const next = newSecret();
      const usable = (session: SessionState) =>
        !session.ended && session.expiresAt > when && session.status === 'active';
      // The happy path is one storage call: consume the token (keeping the next one sealed beside it for the
      // grace window), read its session, store the next one. Then the rules decide; a refused session's next
      // token, never given out, goes again.
      const nextHash = hashSecret(next);
      const sealed = (await grace.seal(refreshToken, next, at)) ?? null;
      const expiresAt = refreshTokenEnd(at, deps.refreshTtl);
      const state = await storage.refreshes.rotate({ hash, at: when, next: { hash: nextHash, expiresAt, sealed } });
      if (state && usable(state)) {
        const grants = await refreshGrants(storage, state, organizationId, () => {
          sessionCache.forget(state.sessionId);
          bus.publish({ kind: 'session', id: state.sessionId });
        }).catch(async (error: unknown) => {
          await storage.sessions.undoRotation(hash, nextHash);
          throw error;
        });
        return tokensFor(tokens, state.userId, state.sessionId, next, grants);
      }
      if (state) await storage.sessions.forgetRefreshToken(nextHash);
      const token = await storage.sessions.refreshToken(hash);
      if (token?.used) {
        // Sent again within the grace window (two tabs at once, or lost a race with its own twin): the same successor.
        const successor = await grace.successor(refreshToken, token, at);
        const session = await storage.sessions.state(token.sessionId);
        if (successor !== undefined && session && usable(session)) {
          const grants = await tokenGrants(storage.roles, session.userId, session.organizationId);
          if (!grants) throw notAMember();
          return tokensFor(tokens, session.userId, session.sessionId, successor, grants);
        }
        // A rotated-out token came back after it: someone holds a copy. End the whole session (once: a token of
        // a session that has ended already is only refused).
        if (session && !session.ended)
          await endSession(token.sessionId, 'session.refresh_reused', { actorId: null, client });
      }
      throw invalidRefresh();
    },

    async logout(principal) {
      if (!principal.sessionId)
        throw new AppError('UNPROCESSABLE_ENTITY', 'An API key has no session to end; revoke the key instead');
      await endSession(principal.sessionId, 'user.logout', sourceOf(principal));
    },

    async logoutByRefreshToken(refreshToken, client) {
      const token = await storage.sessions.refreshToken(hashSecret(refreshToken));
      if (!token) throw invalidRefresh();
      await endSession(token.sessionId, 'user.logout', { actorId: null, client });
    },

    async introspect(token) {
      const found = await live(token);
      // An organization's token is active while its session is still for that organization and the user a member
      // there: a removed member's tokens turn inactive at once (the session cache drops on the bus's user event).
      const org = found?.claims.org_id;
      if (org !== undefined && (found!.state.organizationId !== org || !found!.state.organizationMember))
        return undefined;
      return found?.claims;
    },

    async authenticateToken(token) {
      const found = await live(token);
      if (!found) throw invalidToken();
      const { state } = found;
      return {
        userId: state.userId,
        role: state.role,
        sessionId: state.sessionId,
        apiKeyId: null,
        authAt: state.authAt,
      };
    },
  };
}
