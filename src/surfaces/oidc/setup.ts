import { generateKeyPairSync, randomBytes } from 'node:crypto';
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

/** The current signing key as a private JWK. */
function signingKey(): JWK & { kid: string; alg: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomBytes(8).toString('base64url'), alg: 'ES256' };
}

/**
 * Builds the provider and what Usher hangs on it: the link between a
 * browser sign-in and its Usher session (made when the sign-in resumes the
 * authorization), and the end of that session at RP-initiated logout.
 */
export async function createOidc(core: Core, config: Config, applications: ApplicationLookup): Promise<ProviderHandle> {
  const keys = await cookieKeys(core);
  const build = (): Provider => {
    const provider = createProvider({
      core,
      config,
      applications,
      signingKey: signingKey(),
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
  const provider = build();
  return { current: () => provider };
}

/** Discovery at the issuer's root, where relying parties look for it (the provider answers it under /oidc). */
export function discoveryRoute(app: FastifyInstance, handle: ProviderHandle): void {
  app.get('/.well-known/openid-configuration', { schema: { hide: true } }, async (request, reply) => {
    reply.hijack();
    request.raw.url = `${OIDC_PREFIX}/.well-known/openid-configuration`;
    await toProvider(handle, OIDC_PREFIX, request.raw, reply.raw);
  });
}
