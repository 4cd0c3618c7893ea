import { createHash, randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { type AuditSource, auditEvent, sourceOf } from '../audit.js';
import { AppError, forbidden, notFound, unauthenticated, validationError } from '../errors.js';
import type { EventBus } from '../events.js';
import { needsRecentAuthentication, selfOf } from '../policy.js';
import { addressOf } from '../rate-limit/address.js';
import { sessionsEndedBy } from '../security/credential-change.js';
import { type Lockout, accountKey } from '../security/lockout.js';
import { type SecretBox, totpContext } from '../security/secret-box.js';
import type { ownerProofs } from '../security/owner-proofs.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import type { Storage } from '../storage.js';
import type { ClientInfo, Principal, User } from '../types.js';
import type { MfaChallenge, Tokens } from './tokens.js';
import type { SessionFor, SessionStarter } from './session-start.js';

export interface MfaService {
  /**
   * Starts turning TOTP on (after the password): the secret, its otpauth:// URL and a QR code of it. Not active until
   * confirmed.
   */
  begin(actor: Principal, password: string): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }>;
  /** Turns TOTP on with a code from the authenticator; answers 10 recovery codes, shown once. */
  confirm(actor: Principal, code: string): Promise<string[]>;
  disable(actor: Principal, password: string): Promise<void>;
  /** An admin turns a user's second factor off (a lost authenticator). */
  reset(actor: Principal, userId: string): Promise<void>;
  /** `options.organizationId`: the organization the login asked for, whose claims the verify step's tokens carry. */
  challenge(user: User, client: ClientInfo, rehash?: string, options?: SessionFor): Promise<MfaChallenge>;
  /** Answers a login's challenge with a TOTP code or a recovery code: the session the password earned. */
  verify(
    mfaToken: string,
    answer: { code?: string; recoveryCode?: string },
    client: ClientInfo,
  ): Promise<{ tokens: Tokens; user: User; sessionId: string }>;
}

const ISSUER = 'Usher';
const CHALLENGE_TTL_S = 300;
/** Answers judged per challenge at most (counted before judging, so parallel answers cannot exceed it). */
const MAX_TRIES = 5;
const PERIOD = 30;
const RECOVERY_CODES = 10;
const recoveryHash = (userId: string, code: string) =>
  createHash('sha256')
    .update(`recovery:${userId}:${code.replace(/[^a-z0-9]/gi, '').toLowerCase()}`)
    .digest('base64url');
const newRecoveryCode = () => {
  const raw = randomBytes(8).toString('hex');
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12)}`;
};

export interface MfaDeps {
  storage: Storage;
  bus: EventBus;
  proofs: ReturnType<typeof ownerProofs>;
  startSession: SessionStarter;
  /** The per-account lockout: wrong second factors count with wrong passwords (security/lockout.ts). */
  lockout: Lockout;
  /** TOTP secrets are sealed at rest when USHER_SECRETS_KEY is set. */
  box: SecretBox;
  now: () => number;
}

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of drift either way)
 * through the otpauth library, with recovery codes for a lost authenticator.
 * A code is accepted once (the last used step is stored); a recovery code
 * works once; a login's challenge judges at most five answers. Wrong answers
 * count toward the account's lockout like wrong passwords, and are audited.
 */
export function createMfaService(deps: MfaDeps): MfaService {
  const { storage, now, box } = deps;
  const iso = (ms = now()) => new Date(ms).toISOString();
  const totp = (secret: string, label: string) =>
    new OTPAuth.TOTP({
      issuer: ISSUER,
      label,
      algorithm: 'SHA1',
      digits: 6,
      period: PERIOD,
      secret: OTPAuth.Secret.fromBase32(secret),
    });
  /** The step a code belongs to, or undefined when it is not valid now (one step of drift allowed). */
  const stepOf = (secret: string, code: string): number | undefined => {
    if (!/^\d{6}$/.test(code)) return undefined;
    const delta = totp(secret, 'x').validate({ token: code, timestamp: now(), window: 1 });
    return delta === null ? undefined : Math.floor(now() / 1000 / PERIOD) + delta;
  };
  const wrongCode = () => validationError({ code: 'The code is wrong or was used already' });
  const spent = () => unauthenticated('The MFA token is invalid or has expired; log in again');
  /** A refused second factor, in the audit trail: why, never what was typed. */
  const mfaFailed = (client: ClientInfo, userId: string, reason: string) =>
    storage.audit.record(
      auditEvent({ actorId: null, client }, { type: 'user.mfa_failed', targetId: userId, details: { reason } }, iso()),
    );

  return {
    async begin(actor, password) {
      const self = selfOf(actor);
      await deps.proofs.provePassword(actor, self, password, 'password', 'Password');
      const user = (await storage.users.byId(self))!;
      if (user.mfaEnabled)
        throw new AppError('UNPROCESSABLE_ENTITY', 'A second factor is on already; turn it off first to set a new one');
      const secret = new OTPAuth.Secret({ size: 20 }).base32;
      await storage.mfa.setPending(self, box.seal(secret, totpContext(self)));
      const otpauthUrl = totp(secret, user.username).toString();
      return {
        secret,
        otpauthUrl,
        qrSvg: await (await import('qrcode')).default.toString(otpauthUrl, { type: 'svg', margin: 1 }),
      };
    },

    async confirm(actor, code) {
      const self = selfOf(actor);
      const state = await storage.mfa.secrets(self);
      if (!state?.pending) throw new AppError('UNPROCESSABLE_ENTITY', 'Start with POST /api/v1/auth/mfa/totp first');
      const pending = box.open(state.pending, totpContext(self));
      if (stepOf(pending, code) === undefined) throw wrongCode();
      const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
      await storage.transaction(async (s) => {
        await s.mfa.enable(
          self,
          box.seal(pending, totpContext(self)),
          codes.map((c) => recoveryHash(self, c)),
        );
        // Sessions begun without the second factor end, as with a new password (the caller's own stays).
        const end = sessionsEndedBy(actor, self, 'mfa_enabled');
        await s.sessions.revokeAllOf(self, iso(), end.reason, end.keep);
        await s.audit.record(auditEvent(sourceOf(actor), { type: 'user.mfa_enabled', targetId: self }, iso()));
      });
      // A user event drops every cached session of the user, here and on every other instance.
      deps.bus.publish({ kind: 'user', id: self });
      return codes;
    },

    async disable(actor, password) {
      const self = selfOf(actor);
      await deps.proofs.provePassword(actor, self, password, 'password', 'Password');
      await turnOff(actor, self);
    },

    async reset(actor, userId) {
      if (actor.role !== 'admin' || actor.apiKeyId !== null)
        throw forbidden("Only a signed-in admin may reset a user's second factor");
      const target = await storage.users.byId(userId);
      if (!target) throw notFound('User', userId);
      if (needsRecentAuthentication(actor, target, true)) deps.proofs.assertRecentSignIn(actor);
      await turnOff(actor, userId);
    },

    async challenge(user, client, rehash, options = {}) {
      const mfaToken = newSecret('mfa_');
      const at = now();
      await storage.transaction(async (s) => {
        if (rehash) await s.users.rehash(user.id, rehash);
        await s.mfa.createChallenge({
          tokenHash: hashSecret(mfaToken),
          userId: user.id,
          at: iso(at),
          expiresAt: iso(at + CHALLENGE_TTL_S * 1000),
          ip: client.ip,
          userAgent: client.userAgent ?? null,
          method: client.method,
          providerId: client.providerId,
          organizationId: options.organizationId,
        });
        // The first factor succeeded: recorded, though no session starts until the second (then `user.login`).
        const source: AuditSource = { actorId: user.id, client };
        await s.audit.record(auditEvent(source, { type: 'user.login_mfa_pending', targetId: user.id }, iso(at)));
      });
      return { mfaToken, expiresIn: CHALLENGE_TTL_S };
    },

    async verify(mfaToken, answer, client) {
      if ((answer.code === undefined) === (answer.recoveryCode === undefined))
        throw validationError({ code: 'Send either code or recovery_code' });
      const tokenHash = hashSecret(mfaToken);
      const challenge = await storage.mfa.challenge(tokenHash, iso());
      if (!challenge) throw spent();
      const userId = challenge.userId;
      const account = accountKey(userId);
      const address = addressOf(client.ip);
      await deps.lockout.check(account, address, now()).catch(async (error: unknown) => {
        await mfaFailed(client, userId, 'locked_out');
        throw error;
      });
      // Counted before judged, in one statement: of parallel answers at most MAX_TRIES are judged; the rest find it
      // spent.
      if (!(await storage.mfa.claimAttempt(tokenHash, iso(), MAX_TRIES))) throw spent();
      const user = await storage.users.byId(userId);
      const state = await storage.mfa.secrets(userId);
      if (user?.status !== 'active' || !state?.secret) throw spent();
      const ok =
        answer.code !== undefined
          ? await (async () => {
              const step = stepOf(box.open(state.secret!, totpContext(userId)), answer.code!);
              return step !== undefined && (await storage.mfa.useStep(userId, step));
            })()
          : await storage.mfa.useRecoveryCode(userId, recoveryHash(userId, answer.recoveryCode!), iso());
      if (!ok) {
        await deps.lockout.failed(account, now());
        await mfaFailed(client, userId, answer.code !== undefined ? 'wrong_code' : 'wrong_recovery_code');
        throw wrongCode();
      }
      if (!(await storage.mfa.useChallenge(tokenHash, iso())))
        throw unauthenticated('The MFA token was used already; log in again');
      await deps.lockout.succeeded(account, address, now());
      // The login is audited with how its first factor was proved (a mailed code, an upstream provider).
      const first = {
        method: challenge.method ?? client.method,
        providerId: challenge.providerId ?? client.providerId,
      };
      // The organization the login asked for: membership is checked now, as a login without a second factor does.
      return deps.startSession(user, { ...client, ...first }, undefined, { organizationId: challenge.organizationId });
    },
  };

  async function turnOff(actor: Principal, userId: string) {
    await storage.transaction(async (s) => {
      await s.mfa.disable(userId);
      await s.audit.record(auditEvent(sourceOf(actor), { type: 'user.mfa_disabled', targetId: userId }, iso()));
    });
    deps.bus.publish({ kind: 'user', id: userId });
  }
}
