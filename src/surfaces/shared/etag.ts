import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../core/types.js';
import type { Precondition } from '../../core/users/user.types.js';

/**
 * Optimistic concurrency for users, on every surface: a read carries `ETag`
 * (the user's version, its `updated_at` in milliseconds), and a write with
 * `If-Match` happens only if one of the given tags is still current (412
 * otherwise). `*` matches any existing user; a write without `If-Match`
 * behaves as it always did.
 */
export const etagOf = (u: User): string => `"${Date.parse(u.updatedAt)}"`;

export function withEtag<T>(reply: FastifyReply, user: User, body: T): T {
  reply.header('etag', etagOf(user));
  return body;
}

/** The precondition of `If-Match`, or undefined without one. Tags this server did not make match nothing. */
export function ifMatchOf(request: FastifyRequest): Precondition | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return '*';
  const versions: string[] = [];
  for (const tag of value.split(',')) {
    const ms = /^\s*"(\d{1,15})"\s*$/.exec(tag)?.[1];
    const date = ms === undefined ? undefined : new Date(Number(ms));
    if (date && Number.isFinite(date.getTime())) versions.push(date.toISOString());
  }
  return versions;
}
