import { AppError } from '../../core/errors.js';
import { sayError } from '../hosted/say.js';

/** A submitted form: every field a string. */
export type Form = Record<string, string | undefined>;

/** A field of a form or of a link's query, as one string ('' when absent). */
export const fieldOf = (from: unknown, name: string): string => {
  const value = (from as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/**
 * An error of the core, as a link's page says it: `link` when the link itself no longer works (the code is wrong,
 * used, replaced or expired: the page offers a new mail), else what to change and try again (a weak password).
 */
export function sayLinkError(error: unknown): { status: number; text: string; link: boolean } {
  if (error instanceof AppError && error.code === 'VALIDATION_ERROR') {
    const details = (error.details ?? {}) as Record<string, unknown>;
    if (typeof details.code === 'string' || typeof details.email === 'string')
      return { status: 400, text: 'This link is wrong, was used already, or has expired.', link: true };
    const first = Object.values(details).find((v) => typeof v === 'string');
    if (typeof first === 'string') return { status: 400, text: first, link: false };
  }
  return { ...sayError(error), link: false };
}
