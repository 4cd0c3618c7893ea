import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import type { AppError } from '../../core/errors.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import { HOSTED_CSP } from '../hosted/layout.js';
import { sayError } from '../hosted/say.js';
import { messagePage } from '../hosted/views.js';
import { upstreamRoutes } from './upstream.routes.js';

/**
 * /auth: the upstream identity providers' browser routes: the start of a
 * console sign-in (`/auth/upstream/:id`) and the callback every provider
 * sends the browser back to (`/auth/callback/:id`). Pages for a browser, kept
 * out of the OpenAPI document; errors are pages in the hosted pages' look.
 */
export const upstreamPages: Surface<{ core: Core; config: Config }> = {
  prefix: '/auth',
  envelope: (error: AppError, request) => {
    const brand = request.hostedBrand ?? { name: 'Usher', logoUrl: undefined, color: '#2563eb' };
    const text = statusOf(error) >= 500 ? 'Something went wrong. Try again later.' : sayError(error).text;
    return messagePage(brand, 'Sign-in failed', text, 'error');
  },
  status: statusOf,
  tag: { name: 'upstream' },
  async plugin(app, { core, config }) {
    app.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    app.addHook('onRequest', async (request) => {
      request.hostedBrand = config.brand;
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (typeof payload === 'string' && payload.startsWith('<!doctype html>')) {
        reply.header('content-type', 'text/html; charset=utf-8');
        reply.header('content-security-policy', HOSTED_CSP);
      }
      return payload;
    });
    upstreamRoutes(app, core, config);
  },
};
