import type { Core } from '../../core/core.js';
import { AppError } from '../../core/errors.js';
import type { Config } from '../../config.js';
import { nestedDeeperThan, MAX_JSON_DEPTH } from '../../http/json-body.js';
import { clientOf, credentialsOf } from '../../http/principal.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import { discoveryRoutes } from './discovery.routes.js';
import { groupsRoutes } from './groups.routes.js';
import { SCIM_TYPE, errorScim } from './presenter.js';
import { usersRoutes } from './users.routes.js';
import './scope.js';

/**
 * /scim/v2: SCIM 2.0 (RFC 7643/7644) for one organization per bearer token
 * (`scim_…`, made under /api/v1/organizations/{id}/scim-tokens). Bodies are
 * application/scim+json (application/json accepted), errors in SCIM's error
 * schema. Kept out of the OpenAPI document: SCIM describes itself
 * (ServiceProviderConfig, ResourceTypes, Schemas). Its own rate limit, per
 * token, replaces the per-address one (a directory is one busy client).
 */
export const scimSurface: Surface<{ core: Core; config: Config }> = {
  prefix: '/scim/v2',
  envelope: errorScim,
  status: statusOf,
  tag: { name: 'scim' },
  async plugin(app, { core, config }) {
    app.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
      route.config = { ...(route.config as object), rateLimit: false } as typeof route.config;
    });
    app.addContentTypeParser('application/scim+json', { parseAs: 'string' }, (_request, body, done) => {
      const text = body as string;
      if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
        done(
          new AppError('VALIDATION_ERROR', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, {
            scimType: 'invalidSyntax',
          }),
          undefined,
        );
        return;
      }
      try {
        done(null, text === '' ? {} : JSON.parse(text, (k, v) => (k === '__proto__' ? undefined : v)));
      } catch {
        done(new AppError('VALIDATION_ERROR', 'The body is not valid JSON', { scimType: 'invalidSyntax' }), undefined);
      }
    });
    app.addHook('onRequest', async (request) => {
      request.scim = await core.scim.tokens.authenticate(credentialsOf(request).token, clientOf(request));
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('application/json'))
        reply.header('content-type', SCIM_TYPE);
      return payload;
    });
    const base = `${(config.publicUrl ?? config.issuer).replace(/\/$/, '')}/scim/v2`;
    discoveryRoutes(app, base);
    usersRoutes(app, core, base);
    groupsRoutes(app, core, base);
  },
};
