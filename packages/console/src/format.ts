import type { User } from './api.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const when = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '');
export const day = (iso: string | null | undefined): string => (iso ? dateOnly.format(new Date(iso)) : '');

export const fullName = (u: Pick<User, 'first_name' | 'last_name'>): string =>
  [u.first_name, u.last_name].filter(Boolean).join(' ');

export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A long id, short enough for a table cell (the whole id stays in the link and its title). */
export const shortId = (id: string): string => (id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
