import type { FastifyRequest } from 'fastify';
import { invalidValue } from '../../core/scim/scim-errors.js';

/** A list's query parameters (RFC 7644 3.4.2): filter, startIndex, count; which attributes to leave out. */
export interface ListParams {
  filter?: string;
  startIndex?: number;
  count?: number;
  excluded: Set<string>;
}

const integer = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^-?\d{1,9}$/.test(v)) throw invalidValue(`${name} must be an integer`);
  return Number(v);
};

export function listParams(request: FastifyRequest): ListParams {
  const q = request.query as Record<string, unknown>;
  const filter = q.filter;
  if (filter !== undefined && typeof filter !== 'string') throw invalidValue('filter must be given once');
  return {
    ...(filter !== undefined && { filter }),
    startIndex: integer(q.startIndex, 'startIndex'),
    count: integer(q.count, 'count'),
    excluded: excludedOf(request),
  };
}

/** `excludedAttributes` (lower-cased names); Entra asks for groups without members this way. */
export function excludedOf(request: FastifyRequest): Set<string> {
  const v = (request.query as Record<string, unknown>).excludedAttributes;
  return new Set(typeof v === 'string' ? v.split(',').map((a) => a.trim().toLowerCase()) : []);
}

export function ifMatchOf(request: FastifyRequest): string | undefined {
  const h = request.headers['if-match'];
  return Array.isArray(h) ? h.join(',') : h;
}
