import type { Outbound } from '../security/outbound.js';
import type { Profile } from './upstream.types.js';

interface GitHubUser {
  id?: number;
  login?: string;
  name?: string | null;
  email?: string | null;
}
interface GitHubEmail {
  email?: string;
  primary?: boolean;
  verified?: boolean;
}

/**
 * Who signed in at GitHub (or GitHub Enterprise, `apiUrl`): `/user` gives the
 * numeric id (the subject: a login can be renamed and reused) and the login,
 * `/user/emails` the addresses. Only the primary address, when GitHub has
 * verified it, counts as verified.
 */
export async function githubProfile(outbound: Outbound, apiUrl: string, token: string): Promise<Profile> {
  const base = apiUrl.replace(/\/+$/, '');
  const get = async <T>(path: string): Promise<T> => {
    const res = await outbound.fetch(`${base}${path}`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'user-agent': 'Usher',
        'x-github-api-version': '2022-11-28',
      },
    });
    if (res.status !== 200) throw new Error(`GitHub answered ${res.status} for ${path}`);
    return (await res.json()) as T;
  };
  const user = await get<GitHubUser>('/user');
  if (typeof user.id !== 'number') throw new Error('GitHub named no user');
  const emails = await get<GitHubEmail[]>('/user/emails').catch(() => [] as GitHubEmail[]);
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary && typeof e.email === 'string') : undefined;
  const email = primary?.email ?? user.email ?? null;
  const [first, ...rest] = (user.name ?? '').trim().split(/\s+/).filter(Boolean);
  return {
    subject: String(user.id),
    email: email || null,
    emailVerified: Boolean(primary?.verified),
    username: user.login ?? null,
    firstName: first ?? null,
    lastName: rest.length ? rest.join(' ') : null,
  };
}
