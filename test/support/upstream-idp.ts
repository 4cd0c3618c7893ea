import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Provider } from '../../src/surfaces/oidc/library.js';
import { freePort } from './oidc.js';

/** Who the next sign-in at a test upstream is (claims as the provider gives them). */
export interface UpstreamAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  given_name?: string;
  family_name?: string;
}

export interface LocalIdp {
  issuer: string;
  /** Signs the next interactions in as this account. */
  as(account: UpstreamAccount): void;
  close(): Promise<void>;
}

/**
 * A Google-like upstream: panva's oidc-provider on its own port, with the
 * given clients. Its login is programmatic: an interaction is finished at
 * once as the account set with `as` (no page), and a grant covering every
 * asked scope is made, so no consent is asked.
 */
export async function startLocalIdp(
  clients: Array<{ client_id: string; client_secret: string; redirect_uris: string[] }>,
  port?: number,
): Promise<LocalIdp> {
  const at = port ?? (await freePort());
  const issuer = `http://127.0.0.1:${at}`;
  let account: UpstreamAccount = { sub: 'nobody' };
  const accounts = new Map<string, UpstreamAccount>();
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({ ...c, grant_types: ['authorization_code'], response_types: ['code'] })),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username', 'given_name', 'family_name'],
    },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    findAccount: async (_ctx, id) => {
      const found = accounts.get(id);
      return found && { accountId: id, claims: async () => ({ ...found }) };
    },
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    conformIdTokenClaims: false,
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Grant: 300, Interaction: 300, Session: 300 },
  });
  provider.use(async (ctx, next) => {
    if (!ctx.path.startsWith('/interaction/')) return next();
    accounts.set(account.sub, account);
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { login: { accountId: account.sub } },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
  });
  const server = provider.listen(at, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    issuer,
    as: (a) => void (account = a),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * An OpenID provider that misbehaves on purpose: discovery, keys and a token
 * endpoint whose ID token carries what the test asks (a wrong audience, a
 * wrong nonce). There is no login: a test calls Usher's callback with any code
 * and the state Usher sent.
 */
export async function startCraftedIdp(): Promise<{
  issuer: string;
  next(claims: (expected: { nonce: string | undefined; clientId: string }) => Record<string, unknown>): void;
  close(): Promise<void>;
}> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const nonces = new Map<string, string>();
  let claimsOf: (e: { nonce: string | undefined; clientId: string }) => Record<string, unknown> = () => ({});
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, issuer);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration')
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
      });
    if (url.pathname === '/jwks') return json({ keys: [jwk] });
    if (url.pathname === '/authorize') {
      nonces.set(url.searchParams.get('state')!, url.searchParams.get('nonce')!);
      res.writeHead(302, {
        location: `${url.searchParams.get('redirect_uri')}?code=c1&state=${url.searchParams.get('state')}`,
      });
      return res.end();
    }
    if (url.pathname === '/token') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const form = new URLSearchParams(body);
        const clientId = form.get('client_id') ?? '';
        const claims = claimsOf({ nonce: [...nonces.values()].at(-1), clientId });
        const idToken = await new SignJWT({ email: 'crafted@example.com', email_verified: true, ...claims })
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .setIssuer(issuer)
          .setSubject('crafted')
          .setAudience((claims.aud as string) ?? clientId)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        json({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    next: (fn) => void (claimsOf = fn),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
