import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import * as client from 'openid-client';
import { build, type TestApp } from './helper.js';

/** A free TCP port on 127.0.0.1 (the issuer's URL must be known before the app is built). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Issuer {
  api: TestApp;
  issuer: string;
  /** Creates an application through /api/v1 as the admin; answers its client_id (and secret, if any). */
  application(body: Record<string, unknown>): Promise<{ id: string; client_id: string; client_secret?: string }>;
  /** An openid-client configuration for an application, from discovery. */
  relyingParty(app: { client_id: string; client_secret?: string }): Promise<client.Configuration>;
}

/** Usher listening on 127.0.0.1 with USHER_ISSUER set to its own URL, on the test's database. */
export async function startIssuer(t: TestContext, env: Record<string, string> = {}): Promise<Issuer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const api = await build(t, { PORT: String(port), USHER_ISSUER: issuer, ...env });
  await api.app.listen({ port, host: '127.0.0.1' });
  const admin = await api.admin();
  return {
    api,
    issuer,
    async application(body) {
      const res = await api.request('POST', '/api/v1/applications', { token: admin.token, body });
      if (res.status !== 201) throw new Error(`application: ${res.status} ${res.raw}`);
      return res.body.data;
    },
    async relyingParty(app) {
      const auth = app.client_secret ? client.ClientSecretBasic(app.client_secret) : client.None();
      return client.discovery(new URL(issuer), app.client_id, undefined, auth, {
        execute: [client.allowInsecureRequests],
      });
    },
  };
}

/** A browser without JavaScript: a cookie jar, and redirects followed by hand. */
export class Agent {
  private readonly jar = new Map<string, string>();

  async fetch(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': 'usher-test-agent' };
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  /** Follows redirects within `origin` until a page (or a redirect elsewhere); answers the last response and URL. */
  async follow(url: string, origin: string, init: { form?: Record<string, string> } = {}) {
    let res = await this.fetch(url, init);
    let at = url;
    while (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, at).href;
      if (!next.startsWith(origin)) return { res, url: next };
      at = next;
      res = await this.fetch(next);
    }
    return { res, url: at, html: await res.text() };
  }
}

/** The action of the page's first form posting to a path ending with `suffix`. */
export const formAction = (html: string, suffix: string): string => {
  const match = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].find((m) => m[1]!.endsWith(suffix));
  if (!match) throw new Error(`no form for ${suffix} in ${html}`);
  return match[1]!;
};

export const REDIRECT = 'http://127.0.0.1:9/cb';

/**
 * An authorization request for `rp`, signed in as `login` on the hosted pages by `agent` (allowing consent when
 * asked): answers the redirect's URL and the request's PKCE verifier, state and nonce.
 */
export async function authorize(
  op: Issuer,
  rp: client.Configuration,
  agent: Agent,
  o: { login?: string; password?: string; scope?: string; extra?: Record<string, string>; consent?: 'allow' | 'deny' },
) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT,
    scope: o.scope ?? 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...o.extra,
  });
  let step = await agent.follow(url.href, op.issuer);
  const pages: string[] = [];
  while (step.html !== undefined) {
    pages.push(step.html);
    const form: { action: string; fields: Record<string, string> } | undefined = step.html.includes('/login"')
      ? { action: formAction(step.html, '/login'), fields: { login: o.login ?? '', password: o.password ?? '' } }
      : step.html.includes('/consent"')
        ? { action: formAction(step.html, '/consent'), fields: { decision: o.consent ?? 'allow' } }
        : undefined;
    if (!form) break;
    step = await agent.follow(new URL(form.action, op.issuer).href, op.issuer, { form: form.fields });
  }
  return { url: new URL(step.url), verifier, state, nonce, pages };
}

/** Signs in and redeems the code: the token endpoint's answer. */
export async function signIn(op: Issuer, rp: client.Configuration, agent: Agent, o: Parameters<typeof authorize>[3]) {
  const a = await authorize(op, rp, agent, o);
  const tokens = await client.authorizationCodeGrant(rp, a.url, {
    pkceCodeVerifier: a.verifier,
    expectedState: a.state,
    expectedNonce: a.nonce,
  });
  return { tokens, pages: a.pages };
}
