import type { Storage } from '../storage.js';
import type { ClientInfo, User } from '../types.js';
import type { UserService } from '../users/user.service.js';
import { type CodeSettings, proveCode, sendCode, spendCode, wrongCode } from './codes.js';

/**
 * The flows that prove something by mail: email verification and password
 * reset. Requests answer the same whether or not the address belongs to
 * anyone, and past the recipient's mail limit (no enumeration); the mail goes
 * through the outbox. A code is judged before anything else about the
 * request (a new password's strength is checked against the user's own
 * details, so checking it first would tell who exists and their names): a
 * wrong code gets one answer whoever the address belongs to.
 */
export interface AccountService {
  requestEmailVerification(email: string): Promise<void>;
  verifyEmail(email: string, code: string, client: ClientInfo): Promise<User>;
  requestPasswordReset(email: string): Promise<void>;
  resetPassword(email: string, code: string, newPassword: string, client: ClientInfo): Promise<void>;
}

export function createAccountService(storage: Storage, users: UserService, codes: CodeSettings): AccountService {
  // A code is looked for only under a live user with this address; anything else reads as a wrong code.
  const owner = async (email: string) => (email.length <= 320 && (await users.lookup({ email }))) || undefined;

  return {
    async requestEmailVerification(email) {
      const user = await owner(email);
      if (!user || user.emailVerified) return;
      await storage.transaction((s) => sendCode(s, user, 'verify_email', codes));
    },

    async verifyEmail(email, code, client) {
      const user = await owner(email);
      if (!user) throw wrongCode();
      await spendCode(storage, await proveCode(storage, user, 'verify_email', code, codes.now), codes.now);
      return users.markEmailVerified(user.id, client);
    },

    async requestPasswordReset(email) {
      const user = await owner(email);
      // Only accounts that can log in at all get a reset; the answer is the same for all.
      if (user?.status !== 'active') return;
      await storage.transaction((s) => sendCode(s, user, 'reset_password', codes));
    },

    async resetPassword(email, code, newPassword, client) {
      const user = await owner(email);
      if (!user) throw wrongCode();
      const live = await proveCode(storage, user, 'reset_password', code, codes.now);
      // The code is used up only for a password that will be accepted.
      await users.resetPassword(user.id, newPassword, client, () => spendCode(storage, live, codes.now));
    },
  };
}
