import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';

/** Deeper JSON than this is refused before it is parsed. Usher's own bodies nest three levels at most. */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether `text` opens more than `max` arrays or objects inside one another,
 * found in one pass over the characters (strings skipped), stopping at the
 * first level too deep. JSON.parse recurses per level: a body of a million
 * `[` costs it most of a second; this costs 33 characters.
 */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
}

/**
 * JSON bodies: Fastify's own parser (which refuses `__proto__` and
 * `constructor.prototype` keys), behind the nesting check.
 */
export function jsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestedDeeperThan(body as string, MAX_JSON_DEPTH)) {
      const message = `JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`;
      done(new AppError('VALIDATION_ERROR', message, { body: message }, 'request'), undefined);
      return;
    }
    parse(request, body as string, done);
  });
}
