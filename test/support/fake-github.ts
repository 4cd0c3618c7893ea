import { createServer } from 'node:http';
import { freePort } from './oidc.js';

export interface GitHubAccount {
  id: number;
  login: string;
  name?: string;
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

/**
 * A server speaking GitHub's OAuth endpoints and the two APIs Usher reads:
 * /login/oauth/authorize (redirects back at once as the account set with
 * `as`), /login/oauth/access_token (checks the client, the code and the PKCE
 * verifier's presence), /user and /user/emails (check the token).
 */
export async function startFakeGitHub(client: { id: string; secret: string }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let account: GitHubAccount = { id: 1, login: 'octocat', emails: [] };
  const codes = new Map<string, { account: GitHubAccount; challenge: string | null }>();
  const tokens = new Map<string, GitHubAccount>();
  let counter = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url!, base);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/login/oauth/authorize') {
      const code = `code${++counter}`;
      codes.set(code, { account, challenge: url.searchParams.get('code_challenge') });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const issued = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret || !issued)
          return json(200, { error: 'bad_verification_code' });
        if (issued.challenge && !form.get('code_verifier')) return json(200, { error: 'invalid_grant' });
        const token = `gho_${++counter}`;
        tokens.set(token, issued.account);
        json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
      });
      return;
    }
    const who = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!who) return json(401, { message: 'Bad credentials' });
    if (url.pathname === '/user')
      return json(200, { id: who.id, login: who.login, name: who.name ?? null, email: null });
    if (url.pathname === '/user/emails')
      return json(
        200,
        who.emails.map((e) => ({ ...e, visibility: null })),
      );
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    base,
    as: (a: GitHubAccount) => void (account = a),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
