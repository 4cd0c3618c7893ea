import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import type { ClientInfo } from '../../core/types.js';
import { callerOf } from './token.route.js';

type Next = () => Promise<void>;

export const clientInfoOf = (ctx: KoaContextWithOIDC): ClientInfo => ({
  ip: ctx.ip,
  userAgent: ctx.get('user-agent') || null,
});

/**
 * What Usher adds around the provider's own endpoints, after each has run:
 * - discovery names the key ring's JWKS (/.well-known/jwks.json);
 * - introspection also answers for Usher's own access tokens (the JWTs of
 *   /api/v1, which the provider does not know): active while their session
 *   lives;
 * - a rotated refresh token's answer is kept for the reuse grace window;
 * - a revocation is audited.
 */
export function aroundEndpoints(core: Core, config: Config) {
  return async (ctx: KoaContextWithOIDC, next: Next) => {
    await next();
    const { oidc } = ctx;
    if (!oidc?.route) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    // One JWKS, the key ring's (next, current, retired): at the issuer's root and at the provider's own address.
    if (oidc.route === 'discovery' && body) body.jwks_uri = `${config.issuer}/.well-known/jwks.json`;
    if (oidc.route === 'jwks' && ctx.status === 200) ctx.body = { keys: core.keys.published() };
    if (oidc.route === 'introspection' && oidc.client && body?.error === 'unsupported_token_type') {
      const claims = await core.auth.introspect(String(oidc.params?.token ?? ''));
      ctx.status = 200;
      ctx.body = claims ? { ...claims, active: true, iss: config.issuer, token_type: 'Bearer' } : { active: false };
      return;
    }
    if (
      oidc.route === 'token' &&
      ctx.status === 200 &&
      oidc.params?.grant_type === 'refresh_token' &&
      typeof body?.refresh_token === 'string'
    ) {
      const caller = callerOf(ctx.get('authorization') || undefined, oidc.params.client_id, oidc.params.client_secret);
      await core.oidcRefreshAnswers.keep(String(oidc.params.refresh_token), { caller, answer: body });
      return;
    }
    if (oidc.route === 'revocation' && ctx.status === 200 && oidc.client) {
      const token = oidc.entities.AccessToken ?? oidc.entities.RefreshToken ?? oidc.entities.ClientCredentials;
      if (token)
        await core.identity.tokenRevoked(
          (token as { accountId?: string }).accountId ?? null,
          oidc.client.clientId,
          token.kind,
          clientInfoOf(ctx),
        );
    }
  };
}
