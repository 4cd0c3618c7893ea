import { AppError } from '../errors.js';
import { invalidValue } from './scim-errors.js';

/** meta.version (a weak ETag) and If-Match; startIndex/count windows (RFC 7644 3.4.2.4). */

export const COUNT_DEFAULT = 100;
export const COUNT_MAX = 200;
const START_MAX = 10_000_000;

export interface ListPage<T> {
  total: number;
  startIndex: number;
  items: T[];
}

/** A resource's version: W/"…" from the times its parts last changed. */
export const versionOf = (...times: Array<string | undefined>): string =>
  `W/"${times.map((t) => (t === undefined ? 0 : Date.parse(t)).toString(36)).join('-')}"`;

/** If-Match: `*`, or any of the listed tags (weak or strong) being the current version; 412 otherwise. */
export function assertVersion(current: string, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = bare(current);
  if (!ifMatch.split(',').some((tag) => bare(tag) === wanted))
    throw new AppError('PRECONDITION_FAILED', 'The resource has changed since that version', {
      scimType: 'invalidVers',
    });
}

/** startIndex (1-based; below 1 reads as 1) and count (0 answers only the total; capped at COUNT_MAX). */
export function listWindow(q: { startIndex?: number; count?: number }): { offset: number; limit: number } {
  const start = q.startIndex ?? 1;
  const count = q.count ?? COUNT_DEFAULT;
  if (!Number.isInteger(start) || start > START_MAX) throw invalidValue('startIndex must be an integer');
  if (!Number.isInteger(count)) throw invalidValue('count must be an integer');
  return { offset: Math.max(start, 1) - 1, limit: Math.min(Math.max(count, 0), COUNT_MAX) };
}
