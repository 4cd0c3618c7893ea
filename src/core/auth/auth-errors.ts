import { AppError, unauthenticated } from '../errors.js';

/** The refusals of the auth service (auth.service.ts), in one place. */
// One message for unknown user, wrong password and password-less account: no user enumeration.
export const invalidCredentials = () => unauthenticated('Invalid credentials');
/** A password sign-in an organization's enforced single sign-on refuses (the right password, the wrong way). */
export const ssoRequired = () =>
  new AppError(
    'INSUFFICIENT_PERMISSIONS',
    "Your organization signs in through its own identity provider: use your company's single sign-on (enter your work email on the sign-in page)",
    { reason: 'sso_required' },
  );
export const invalidRefresh = () => unauthenticated('Invalid or expired refresh token');
export const invalidToken = () => unauthenticated('Invalid or expired access token');
// Why a password check failed, as the audit trail says it.
export const FAILED_CHECK = {
  ok: 'wrong_password',
  wrong: 'wrong_password',
  refused: 'unsafe_hash',
  timed_out: 'hash_timed_out',
} as const;
