import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import als from 'oidc-provider/lib/helpers/als.js';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { type ProviderHandle, toProvider } from './bridge.js';
import type { ApplicationLookup } from './clients.js';
import { aroundEndpoints, clientInfoOf } from './middleware.js';
import { providerPages } from './pages.js';
import { OIDC_PREFIX, createProvider } from './provider.js';

/** The provider's cookies are signed with a secret every instance shares, kept with its artifacts. */
async function cookieKeys(core: Core): Promise<string[]> {
  const stored = await core.oidcArtifacts.find('CookieKeys', 'current');
  if (typeof stored?.key === 'string') return [stored.key];
  await core.oidcArtifacts.upsert('CookieKeys', 'current', { key: randomBytes(32).toString('base64url') }, 0);
  const made = await core.oidcArtifacts.find('CookieKeys', 'current');
  return [String(made?.key)];
}

/**
 * Builds the provider and what Usher hangs on it: the link between a
 * browser sign-in and its Usher session (made when the sign-in resumes the
 * authorization), and the end of that session at RP-initiated logout. It
 * signs ID tokens with the key ring's current key and is built again when
 * the ring changes (a rotation, here or on another instance). With HS256
 * (USHER_JWT_SECRET) there is no key another service could verify, and no
 * provider: undefined.
 */
export async function createOidc(
  core: Core,
  config: Config,
  applications: ApplicationLookup,
): Promise<ProviderHandle | undefined> {
  if (core.keys.alg === 'HS256') return undefined;
  const keys = await cookieKeys(core);
  const build = (): Provider => {
    const provider = createProvider({
      core,
      config,
      applications,
      signingKey: core.keys.currentPrivateJwk() as JWK & { kid: string; alg: string },
      cookieKeys: keys,
      pages: providerPages(config.brand),
    });
    provider.use(aroundEndpoints(core, config));
    provider.use(async (ctx: KoaContextWithOIDC, next) => {
      await next();
      const sessionId = (ctx.oidc?.result as { usher?: { sessionId?: string } } | undefined)?.usher?.sessionId;
      const session = ctx.oidc?.session;
      if (
        (ctx.oidc?.route === 'resume' || ctx.oidc?.route === 'device_resume') &&
        sessionId &&
        session?.accountId &&
        session.uid
      )
        await core.identity.linkSession(session.uid, sessionId, session.accountId, clientInfoOf(ctx));
    });
    const destroy = provider.Session.prototype.destroy;
    provider.Session.prototype.destroy = async function (this: { uid: string }) {
      const ctx = als.getStore() as KoaContextWithOIDC | undefined;
      await core.identity.endLinkedSession(this.uid, ctx ? clientInfoOf(ctx) : { ip: '' });
      return destroy.call(this);
    };
    return provider;
  };
  let provider = build();
  let handler = provider.callback();
  core.keys.onChange(() => {
    provider = build();
    handler = provider.callback();
  });
  return { current: () => provider, handler: () => handler };
}

/** Discovery at the issuer's root, where relying parties look for it (the provider answers it under /oidc). */
export function discoveryRoute(app: FastifyInstance, handle: ProviderHandle): void {
  app.get('/.well-known/openid-configuration', { schema: { hide: true } }, async (request, reply) => {
    reply.hijack();
    request.raw.url = `${OIDC_PREFIX}/.well-known/openid-configuration`;
    await toProvider(handle, OIDC_PREFIX, request.raw, reply.raw);
  });
}
