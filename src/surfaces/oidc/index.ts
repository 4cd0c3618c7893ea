import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import type { AppError } from '../../core/errors.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import { hostedStylesheet } from '../hosted/index.js';
import { passkeyAssets } from '../hosted/passkey-assets.js';
import { type ProviderHandle, toProvider } from './bridge.js';
import { OIDC_PREFIX } from './provider.js';
import { tokenRoute } from './token.route.js';

/** OAuth's error shape (RFC 6749 5.2), for what fails before the provider sees a request. */
const oauthError = (error: AppError) => ({
  error: statusOf(error) === 429 ? 'slow_down' : statusOf(error) >= 500 ? 'server_error' : 'invalid_request',
  error_description: error.message,
});

/**
 * /oidc: the OpenID provider's endpoints (authorization, token, userinfo,
 * introspection, revocation, device authorization, end session, its JWKS),
 * each handed to oidc-provider as it came; the token endpoint first passes
 * the refresh grace window (token.route.ts). The hosted pages are their own
 * surface (/oidc/interaction); discovery is also at the issuer's root.
 */
export const oidcSurface: Surface<{ core: Core; config: Config; oidc: ProviderHandle | undefined }> = {
  prefix: OIDC_PREFIX,
  envelope: oauthError,
  status: statusOf,
  tag: { name: 'oidc' },
  async plugin(app, { core, config, oidc }) {
    // No provider (HS256 tokens): nothing is mounted, and its addresses are 404.
    if (!oidc) return;
    app.get('/assets/hosted.css', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) =>
      reply
        .header('cache-control', 'public, max-age=3600')
        .type('text/css; charset=utf-8')
        .send(hostedStylesheet(config)),
    );
    passkeyAssets(app);
    tokenRoute(app, core, oidc, OIDC_PREFIX);
    // The body is the provider's to read.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    app.all('/*', { schema: { hide: true } }, async (request, reply) => {
      reply.hijack();
      await toProvider(oidc, OIDC_PREFIX, request.raw, reply.raw);
    });
  },
};
