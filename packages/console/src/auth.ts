import { client, renew, signOut as endSession, watchSession, type User } from './api.js';
import { createStore } from './store.js';
import { applyTheme } from './theme.js';

/**
 * Who is signed in, and what the console may offer them. Admins do
 * everything; moderators read users and change the status of non-admins.
 * API keys and the audit trail are admin tools today, and applications are
 * read by moderators and changed by admins: for a moderator the console asks
 * the API once (a 403 hides the page) instead of assuming.
 */
export interface Abilities {
  /** The dashboard (admins and moderators, by role: the API's rule). */
  dashboard: boolean;
  apiKeys: boolean;
  audit: boolean;
  /** Reading applications; changing them is for admins (the page shows its buttons to them only). */
  applications: boolean;
}

export type Auth =
  | { state: 'loading' }
  | { state: 'signed-out'; message?: string }
  | { state: 'signed-in'; user: User; can: Abilities };

export const auth = createStore<Auth>({ state: 'loading' });

const isAdmin = (user: User): boolean => user.role === 'admin';

async function probe(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch {
    // A 403 (or anything else): not offered.
    return false;
  }
}

async function abilitiesOf(user: User): Promise<Abilities> {
  if (isAdmin(user)) return { dashboard: true, apiKeys: true, audit: true, applications: true };
  const [apiKeys, audit, applications] = await Promise.all([
    probe(() => client.apiKeys.list()),
    probe(() => client.auditEvents.list({ limit: 1 })),
    probe(() => client.applications.list({ limit: 1 })),
  ]);
  return { dashboard: user.role === 'moderator', apiKeys, audit, applications };
}

watchSession((session, reason) => {
  const now = auth.get();
  if (!session) {
    applyTheme(undefined);
    auth.set({ state: 'signed-out', ...(reason ? { message: reason } : {}) });
    return;
  }
  applyTheme(session.user.preferences?.theme);
  // A refresh brings the user again: keep what was learnt unless the role changed.
  if (now.state === 'signed-in' && now.user.id === session.user.id && now.user.role === session.user.role) {
    auth.set({ ...now, user: session.user });
  } else if (now.state === 'signed-in') {
    void enter(session.user);
  }
});

/** After a sign-in (or a restored session): learns the abilities, then shows the console. */
export async function enter(user: User): Promise<void> {
  applyTheme(user.preferences?.theme);
  const can = await abilitiesOf(user);
  auth.set({ state: 'signed-in', user, can });
}

/** On page load: the cookie's session, if there is one. */
export async function restore(): Promise<void> {
  try {
    const session = await renew();
    if (session) await enter(session.user);
    else auth.set({ state: 'signed-out' });
  } catch {
    auth.set({ state: 'signed-out', message: 'The server could not be reached. Reload the page to try again.' });
  }
}

export async function signOut(): Promise<void> {
  try {
    await endSession();
  } finally {
    auth.set({ state: 'signed-out', message: 'You are signed out.' });
  }
}

/** The signed-in user's own record changed (for example their theme): keep it. */
export function updateMe(user: User): void {
  const now = auth.get();
  if (now.state === 'signed-in' && now.user.id === user.id) {
    auth.set({ ...now, user });
    applyTheme(user.preferences?.theme);
  }
}
