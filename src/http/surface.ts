import type { FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import { type AppError, validationError } from '../core/errors.js';
import { type ErrorFormatter, useErrorEnvelope } from './errors.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { HttpError } from './status.js';

/**
 * An API surface, described once: each surface's index.ts exports one, and
 * the composition root mounts it (mountSurfaces), answers errors raised
 * before any route is chosen in its envelope (frameworkErrorsOf) and lists
 * its tag in the OpenAPI document. `Options` is what its plugin needs from
 * the composition root; a plain `Surface` is any surface, to read.
 */
export interface Surface<Options = never> {
  /** Where it is mounted; a URL under it gets its envelope even when no route matches. */
  readonly prefix: string;
  /** Its hooks and routes, run in its own scope with its envelope installed and its tag on every route. */
  readonly plugin: (app: FastifyInstance, options: Options) => Promise<void>;
  /** How it writes an error. */
  readonly envelope: ErrorFormatter;
  /** The status it answers an error with (statusOf unless it has a rule of its own). */
  readonly status: (error: AppError) => number;
  /** Its OpenAPI tag; the document lists (and describes) the tags that have a description. */
  readonly tag: { readonly name: string; readonly description?: string };
}

/** Registers each surface under its prefix, in order (a longer prefix before the one it extends). */
export async function mountSurfaces<Options>(
  app: FastifyInstance,
  surfaces: readonly Surface<Options>[],
  options: Options,
): Promise<void> {
  for (const surface of surfaces)
    await app.register(
      async (scope) => {
        useErrorEnvelope(scope, surface.envelope, surface.status);
        scope.addHook('onRoute', (route) => {
          route.schema = { tags: [surface.tag.name], ...route.schema };
        });
        await surface.plugin(scope, options);
      },
      { prefix: surface.prefix },
    );
}

/**
 * Fastify's `frameworkErrors`: a malformed URL or an over-long path parameter fails before any route (or hook) is
 * chosen, and is answered in the envelope of the surface the URL names, or `root`'s outside every surface.
 */
export function frameworkErrorsOf(
  surfaces: readonly Surface[],
  root: Surface,
): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error, request, reply) => {
    const appError =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new HttpError(414, 'REQUEST_FAILED', 'A path parameter is too long')
        : validationError({ path: 'The URL is not valid' }, 'Malformed URL', 'request');
    const { envelope, status } = surfaces.find((s) => request.url.startsWith(`${s.prefix}/`)) ?? root;
    const answer: FastifyReply = reply;
    void answer
      .headers(SECURITY_HEADERS)
      .header('x-request-id', request.id)
      .code(status(appError))
      .send(envelope(appError, request));
  };
}
