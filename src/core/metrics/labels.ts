import type { SignInMethod } from '../types.js';

/**
 * The fixed label values of the metrics: anything else a caller passes becomes `other`, so no input can add a series.
 */
export const LOGIN_METHODS = ['password', 'passkey', 'email', 'upstream', 'mfa'] as const;
export type LoginMethod = SignInMethod | 'mfa';

/** success: a session started; mfa_pending: the password was right and a second factor is asked for. */
export const LOGIN_OUTCOMES = ['success', 'mfa_pending', 'failure', 'locked_out', 'not_active', 'unverified'] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

/** The methods a request can have; anything else (a made-up verb) is `other`. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const methodOf = (method: unknown): LoginMethod =>
  (LOGIN_METHODS as readonly unknown[]).includes(method) ? (method as LoginMethod) : 'password';

/** A failed sign-in's audited reason, as an outcome. */
export function failureOf(reason: unknown): LoginOutcome {
  if (reason === 'locked_out') return 'locked_out';
  if (reason === 'not_active') return 'not_active';
  if (reason === 'email_not_verified') return 'unverified';
  return 'failure';
}

/** 2xx, 4xx…: a status as its class. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
