import type * as client from 'openid-client';
import { REDIRECT, type Issuer, formAction } from './oidc.js';
import { authorization } from './hosted-flow.js';

/**
 * A browser without JavaScript across several servers: a cookie jar per
 * origin (as a browser keeps Usher's and the upstream's apart), redirects
 * followed by hand.
 */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  async fetch(
    url: string,
    init: { form?: Record<string, string>; method?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    const headers: Record<string, string> = { 'user-agent': 'usher-test-browser', ...init.headers };
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, {
      method: init.method ?? (body !== undefined ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** Follows redirects anywhere until a page, or a URL `stop` accepts (not fetched). */
  async follow(url: string, o: { form?: Record<string, string>; stop?: (url: string) => boolean } = {}) {
    let res = await this.fetch(url, { form: o.form });
    let at = url;
    while (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, at).href;
      if (next.startsWith(REDIRECT) || o.stop?.(next)) return { res, url: next, status: res.status };
      at = next;
      res = await this.fetch(next);
    }
    return { res, url: at, status: res.status, html: await res.text() };
  }
}

/**
 * An authorization request of `rp` at Usher, answered by "Sign in with <provider>" on the hosted page: answers
 * the tokens (when the flow came back to the application) or the page it ended on.
 */
export async function upstreamAuthorize(
  op: Issuer,
  rp: client.Configuration,
  browser: Browser,
  providerId: string,
  o: { stop?: (url: string) => boolean } = {},
) {
  const pending = await authorization(rp, REDIRECT);
  const login = await browser.follow(pending.url);
  if (login.html === undefined) throw new Error(`no sign-in page: ${login.url}`);
  const action = new URL(formAction(login.html, `/upstream/${providerId}`), op.issuer).href;
  const step = await browser.follow(action, { form: {}, stop: o.stop });
  if (!step.url.startsWith(REDIRECT)) return { step, loginPage: login.html };
  const tokens = await pending.redeem(step.url);
  return { step, tokens, loginPage: login.html };
}
