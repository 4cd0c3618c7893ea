import { AppError } from '../../core/errors.js';

/** A submitted form: every field a string (urlencoded; a repeated field keeps its last value). */
export type Form = Record<string, string | undefined>;

export const expired = () =>
  new AppError(
    'UNPROCESSABLE_ENTITY',
    'This sign-in has expired or was already used. Go back to the application and start again.',
  );

/** An error of the core, as a person reads it on a page. */
export function sayError(error: unknown): { status: number; text: string } {
  if (!(error instanceof AppError)) throw error;
  switch (error.code) {
    case 'VALIDATION_ERROR':
      return { status: 400, text: 'Fill in every field.' };
    case 'EMAIL_NOT_VERIFIED':
      return { status: 403, text: 'Verify your email address before you sign in: look for the code we sent you.' };
    case 'RATE_LIMIT_EXCEEDED':
      return { status: 429, text: 'Too many attempts. Wait a while and try again.' };
    case 'SERVICE_UNAVAILABLE':
      return { status: 503, text: 'The service is busy. Try again in a moment.' };
    case 'INSUFFICIENT_PERMISSIONS':
      return { status: 403, text: error.message };
    case 'UNPROCESSABLE_ENTITY':
      return { status: 422, text: error.message };
    case 'AUTHENTICATION_REQUIRED':
      // The API's terse "Invalid credentials", in words a person reads (still telling nothing about the account).
      return {
        status: 401,
        text:
          error.message === 'Invalid credentials'
            ? 'The username or email and the password do not match. Try again.'
            : error.message,
      };
    default:
      return { status: 400, text: error.message };
  }
}
