import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { hashSecret } from '../security/secrets.js';
import type { Storage } from '../storage.js';

/**
 * The reuse grace window of the provider's refresh tokens (USHER_REFRESH_REUSE_GRACE, as /api/v1/auth/refresh has
 * it): a rotated token's answer is kept for the window, sealed (AES-256-GCM) under a key derived from the token
 * itself, so a second use (two tabs, a retried request) gets the same successor, and a copy of the database yields
 * nothing without the token.
 */
export interface RefreshAnswers {
  readonly graceSeconds: number;
  keep(refreshToken: string, answer: object): Promise<void>;
  find(refreshToken: string): Promise<object | undefined>;
}

const keyOf = (token: string) => createHash('sha256').update(`usher:oidc-refresh-grace:${token}`).digest();

export function refreshAnswers(storage: Storage, graceSeconds: number, now: () => number): RefreshAnswers {
  return {
    graceSeconds,
    async keep(token, answer) {
      if (graceSeconds === 0) return;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyOf(token), iv);
      const sealed = Buffer.concat([cipher.update(JSON.stringify(answer)), cipher.final()]);
      const value = [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.');
      await storage.oidc.putRefreshAnswer(
        hashSecret(token),
        value,
        new Date(now() + graceSeconds * 1000).toISOString(),
      );
    },
    async find(token) {
      if (graceSeconds === 0) return undefined;
      const value = await storage.oidc.refreshAnswer(hashSecret(token), new Date(now()).toISOString());
      if (!value) return undefined;
      const [iv, tag, sealed] = value.split('.').map((p) => Buffer.from(p, 'base64url'));
      try {
        const decipher = createDecipheriv('aes-256-gcm', keyOf(token), iv!);
        decipher.setAuthTag(tag!);
        return JSON.parse(Buffer.concat([decipher.update(sealed!), decipher.final()]).toString('utf8')) as object;
      } catch {
        return undefined;
      }
    },
  };
}
