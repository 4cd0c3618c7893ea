import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { type MailTemplate, enqueueMail } from '../mail/mail.js';
import type { CodePurpose, OneTimeCode, Storage, Stores } from '../storage.js';
import type { User } from '../types.js';
import type { MailQuota } from './mail-quota.js';

/**
 * One-time codes that prove something by mail: 6 digits in the mail's plain
 * text, stored only as a hash, expiring (USHER_CODE_TTL, 15 minutes), voided
 * after 5 wrong tries, used once. A newer code voids the older ones. Every
 * mail counts against its recipient's limit (mail-quota.ts).
 */
export const CODE_DIGITS = 6;
export const MAX_WRONG_TRIES = 5;

const TEMPLATE: Record<CodePurpose, MailTemplate> = {
  verify_email: 'verify-email',
  reset_password: 'password-reset',
  sign_in: 'sign-in',
};

/**
 * Where a mailed link lands (surfaces/links/): a page with a button that
 * submits the code, so a mail scanner following the link spends nothing.
 */
export const LINK_PATH: Record<CodePurpose, string> = {
  verify_email: '/auth/mail/verify-email',
  reset_password: '/auth/mail/reset-password',
  sign_in: '/auth/mail/sign-in',
};

/**
 * A mailed link: the address and the code in its query (request logs keep only the path). `to` is a path under
 * `base`, or a whole URL (a hosted sign-in page, on the issuer's origin where its cookies are).
 */
export const linkOf = (base: string, to: string, email: string, code: string) =>
  `${/^https?:\/\//.test(to) ? to : `${base}${to}`}?${new URLSearchParams({ email, code })}`;

const hashOf = (purpose: CodePurpose, userId: string, code: string) =>
  createHash('sha256').update(`${purpose}:${userId}:${code}`).digest('base64url');

export interface CodeSettings {
  ttlSeconds: number;
  product: string;
  now: () => number;
  /** The per-recipient mail limit. */
  quota: MailQuota;
  /** Where mailed links point: USHER_PUBLIC_URL, else the issuer. */
  linkBase: string;
}

/**
 * Issues a code to `user` at its current email and puts the mail in the
 * outbox, in the caller's transaction; past the recipient's mail limit it
 * does neither (false), and the caller answers as if it had. The mail
 * carries the code and a link to `linkTo` (the purpose's page unless
 * given: a sign-in asked on a hosted sign-in page links back to that page).
 */
export async function sendCode(
  s: Stores,
  user: User,
  purpose: CodePurpose,
  o: CodeSettings,
  linkTo = LINK_PATH[purpose],
): Promise<boolean> {
  if (!(await o.quota.take(user.email))) return false;
  const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
  const at = new Date(o.now()).toISOString();
  const expiresAt = new Date(o.now() + o.ttlSeconds * 1000).toISOString();
  await s.codes.issue(
    {
      id: uuidv7(o.now()),
      userId: user.id,
      purpose,
      email: user.email,
      codeHash: hashOf(purpose, user.id, code),
      attempts: 0,
      expiresAt,
    },
    at,
  );
  await enqueueMail(
    s.mail,
    user.email,
    TEMPLATE[purpose],
    {
      product: o.product,
      username: user.username,
      email: user.email,
      code,
      link: linkOf(o.linkBase, linkTo, user.email, code),
      minutes: String(Math.round(o.ttlSeconds / 60)),
    },
    at,
  );
  return true;
}

/** The one answer to a wrong, expired, used or voided code (and to a code for an address nobody has). */
export const wrongCode = () => validationError({ code: 'The code is wrong or has expired; ask for a new one' });

/**
 * Proves `code` is the live code for `user` at its current email, without
 * using it up. The try is counted in one statement before the code is
 * judged, so parallel tries cannot judge more than MAX_WRONG_TRIES; the
 * fifth wrong one voids the code, a right one is taken back. Throws 400 for
 * a wrong, expired, used or voided code, all with one message.
 */
export async function proveCode(
  storage: Storage,
  user: User,
  purpose: CodePurpose,
  code: string,
  now: () => number,
): Promise<OneTimeCode> {
  const live = await storage.codes.live(user.id, purpose, new Date(now()).toISOString());
  if (!live || live.email !== user.email) throw wrongCode();
  const tries = await storage.codes.countTry(live.id, MAX_WRONG_TRIES);
  if (tries === undefined) throw wrongCode();
  const given = Buffer.from(hashOf(purpose, user.id, code));
  const stored = Buffer.from(live.codeHash);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) {
    if (tries >= MAX_WRONG_TRIES) await storage.codes.use(live.id, new Date(now()).toISOString());
    throw wrongCode();
  }
  await storage.codes.uncountTry(live.id);
  return live;
}

/** Uses a proved code up, in one statement; 400 when it was used or replaced meanwhile (a race). */
export async function spendCode(storage: Storage, live: OneTimeCode, now: () => number): Promise<void> {
  if (!(await storage.codes.use(live.id, new Date(now()).toISOString()))) throw wrongCode();
}
