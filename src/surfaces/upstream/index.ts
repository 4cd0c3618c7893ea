import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { type AppError, forbidden } from '../../core/errors.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import { pageScope } from '../hosted/page-scope.js';
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
    pageScope(app, config.brand);
    // The link's confirmation posts to its own page only: a post from another site is refused.
    app.addHook('preHandler', async (request) => {
      if (request.method === 'POST' && request.headers['sec-fetch-site'] === 'cross-site')
        throw forbidden('This form can only be sent from its own page.');
    });
    upstreamRoutes(app, core, config);
  },
};
