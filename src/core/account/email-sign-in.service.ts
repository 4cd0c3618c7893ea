import { auditEvent } from '../audit.js';
import type { LoginResult } from '../auth/auth.service.js';
import type { SessionStarter } from '../auth/session-start.js';
import { type ClientInfo, ROLE_RANK } from '../types.js';
import { notFound, unauthenticated } from '../errors.js';
import type { Storage } from '../storage.js';
import type { UserService } from '../users/user.service.js';
import { type CodeSettings, proveCode, sendCode, spendCode, wrongCode } from './codes.js';
import type { MfaService } from '../auth/mfa.service.js';

/**
 * Signing in with a code mailed to the account's address (USHER_EMAIL_SIGN_IN=on): the account flows' codes
 * (codes.ts) with purpose `sign_in`, so the same 6 digits, 15 minutes, 5 tries, one use, and the same mail limit per
 * recipient. A request answers alike for every address (no enumeration).
 */
export interface EmailSignInService {
  readonly enabled: boolean;
  /**
   * Mails a code and a link to the account with this address, if it is active (else nothing, the same answer). The
   * link lands on `linkTo` when given (a hosted sign-in page's own URL), else on /auth/mail/sign-in.
   */
  request(email: string, linkTo?: string): Promise<void>;
  /**
   * Proves and spends the code, then signs in: the MFA challenge when the user has TOTP (the code proves the mailbox,
   * not a second factor), else a session audited `method: "email"`. A code proves the address: an unverified one is
   * marked verified.
   */
  signIn(email: string, code: string, client: ClientInfo): Promise<LoginResult>;
  /** Whether the code is good for a staff member (admin, moderator), without spending it: the link page's choice. */
  forStaff(email: string, code: string): Promise<boolean>;
}

export interface EmailSignInDeps {
  enabled: boolean;
  storage: Storage;
  users: UserService;
  codes: CodeSettings;
  mfa: Pick<MfaService, 'challenge'>;
  startSession: SessionStarter;
}

export function createEmailSignIn(deps: EmailSignInDeps): EmailSignInService {
  const { storage, users, codes } = deps;
  const off = () => notFound('Email sign-in (USHER_EMAIL_SIGN_IN is off)');
  // A code is looked for only under a user with this address; anything else reads as a wrong code.
  const owner = async (email: string) => (email.length <= 320 && (await users.lookup({ email }))) || undefined;
  const failed = (client: ClientInfo, userId: string, reason: string) =>
    storage.audit.record(
      auditEvent(
        { actorId: null, client },
        { type: 'user.login_failed', targetId: userId, details: { reason, method: 'email' } },
        new Date(codes.now()).toISOString(),
      ),
    );
  const proved = async (email: string, code: string, client?: ClientInfo) => {
    const user = await owner(email);
    if (!user) throw wrongCode();
    try {
      return { user, live: await proveCode(storage, user, 'sign_in', code, codes.now) };
    } catch (error) {
      if (client) await failed(client, user.id, 'wrong_code');
      throw error;
    }
  };

  return {
    enabled: deps.enabled,

    async request(email, linkTo) {
      if (!deps.enabled) throw off();
      const user = await owner(email);
      // Only accounts that can sign in get a code; the answer is the same for all.
      if (user?.status !== 'active') return;
      await storage.transaction((s) => sendCode(s, user, 'sign_in', codes, linkTo));
    },

    async signIn(email, code, client) {
      if (!deps.enabled) throw off();
      const { user, live } = await proved(email, code, client);
      // Told only once the code is right, to the owner of the mailbox, as a password login tells it.
      if (user.status !== 'active') {
        await failed(client, user.id, 'not_active');
        throw unauthenticated('Account is not active');
      }
      await spendCode(storage, live, codes.now);
      // The mailed code proves the address: USHER_REQUIRE_VERIFIED_EMAIL is met by this very sign-in.
      const proven = user.emailVerified ? user : await users.markEmailVerified(user.id, client);
      if (proven.mfaEnabled) return { mfa: await deps.mfa.challenge(proven, { ...client, method: 'email' }) };
      return deps.startSession(proven, { ...client, method: 'email' });
    },

    async forStaff(email, code) {
      if (!deps.enabled) throw off();
      const { user } = await proved(email, code);
      return ROLE_RANK[user.role] >= ROLE_RANK.moderator;
    },
  };
}
