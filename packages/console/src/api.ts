import UserManagementClient, {
  APPLICATION_TYPES,
  AUDIT_EVENT_TYPES,
  USER_ROLES,
  USER_STATUSES,
  UsherApiError,
  readAnswer,
  type ApiKey,
  type Application,
  type MfaChallenge,
  type Passkey,
  type User,
} from 'user-management-api-client';
import { startAuthentication } from '@simplewebauthn/browser';

export { UsherApiError };
export type { ApiKey, Application, Passkey, User };

/**
 * Every call the console makes: the console's session API (/console/api/session,
 * cookie + X-Usher-Console) and Usher's public /api/v1 through the SDK, with the access token.
 *
 * The access token lives in this module's memory only (never in storage); the
 * refresh token is an httpOnly cookie the page cannot read. A 401 from
 * /api/v1 renews the token through the cookie once and retries once; the
 * renewal is shared by every call that needs it, and (through the Web Locks
 * API) taken one tab at a time, because the cookie rotates on each refresh
 * and the server ends a session whose old refresh token comes back.
 */

/** A console sign-in: the access token, and who it is for. */
export interface ConsoleSession {
  access_token: string;
  expires_in: number;
  user: User;
}

let accessToken: string | null = null;
let renewing: Promise<ConsoleSession | null> | null = null;
/** Told of each new session (a refreshed user) and of its end (null: signed out, with why). */
let onSession: (session: ConsoleSession | null, reason?: string) => void = () => undefined;

export function watchSession(listener: typeof onSession): void {
  onSession = listener;
}

/**
 * A call to the console's session API; `X-Usher-Console` proves it comes from this page (the server refuses it
 * otherwise).
 */
export async function sessionCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'x-usher-console': '1', accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/console/api/session${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return readAnswer<T>(response);
}

export function keep(session: ConsoleSession): ConsoleSession {
  accessToken = session.access_token;
  onSession(session);
  return session;
}

export async function signIn(login: string, password: string): Promise<ConsoleSession | MfaChallenge> {
  const result = await sessionCall<ConsoleSession | MfaChallenge>('POST', '', { login, password });
  return 'mfa_required' in result ? result : keep(result);
}

/**
 * Signs in with a passkey: the options from /api/v1 (any passkey of this site), the browser's ceremony, and the
 * answer to the console's session API, which sets the cookie as the password's sign-in does. No second factor follows.
 */
export async function signInWithPasskey(): Promise<ConsoleSession> {
  const { challenge_id, options } = await client.passkeys.loginOptions();
  const credential = await startAuthentication({ optionsJSON: options as never });
  return keep(await sessionCall<ConsoleSession>('POST', '/passkey', { challenge_id, credential }));
}

export async function verifyMfa(mfaToken: string, code: string): Promise<ConsoleSession> {
  return keep(await sessionCall<ConsoleSession>('POST', '/mfa', { mfa_token: mfaToken, code }));
}

/** Ends the session on the server (and its cookie), then forgets the token. */
export async function signOut(): Promise<void> {
  try {
    await sessionCall('DELETE', '');
  } finally {
    accessToken = null;
    onSession(null);
  }
}

/**
 * A new access token from the cookie, or null when there is no live session
 * (the page then shows the sign-in form). One renewal at a time per page and
 * (where the browser has Web Locks) per browser.
 */
export function renew(reason?: string): Promise<ConsoleSession | null> {
  renewing ??= (async () => {
    const refresh = async () => {
      try {
        return keep(await sessionCall<ConsoleSession>('POST', '/refresh'));
      } catch (error) {
        if (error instanceof UsherApiError && (error.status === 401 || error.status === 403)) {
          accessToken = null;
          onSession(null, reason);
          return null;
        }
        throw error;
      }
    };
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? locks.request('usher-console-refresh', refresh) : refresh();
  })().finally(() => {
    renewing = null;
  });
  return renewing;
}

const SESSION_ENDED = 'Your session has ended. Sign in again.';

/**
 * fetch for /api/v1 with the access token; on a 401, renews the token (once,
 * shared) and retries once. The SDK's fetch: the token is the page's, not the SDK's.
 */
export async function authedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const send = (token: string | null) => {
    const headers = new Headers(init.headers);
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    return fetch(url, { ...init, headers, credentials: 'omit' });
  };
  const used = accessToken;
  const response = await send(used);
  if (response.status !== 401) return response;
  // Another call may have renewed the token meanwhile.
  if (accessToken === null || accessToken === used) {
    const session = await renew(SESSION_ENDED);
    if (!session) return response;
  }
  return send(accessToken);
}

/** The SDK over /api/v1, sending the in-memory token through `authedFetch`. */
export const client = new UserManagementClient({ baseURL: `${window.location.origin}/api/v1`, fetch: authedFetch });

/** The choices the console offers, in the server's order. */
export { APPLICATION_TYPES, AUDIT_EVENT_TYPES, USER_ROLES, USER_STATUSES };

/** A person-readable sentence for a failed call: the server's message, and each field's. */
export function describe(error: unknown): string {
  if (error instanceof UsherApiError) {
    if (error.status === 429) {
      const after = Number(error.details.retry_after);
      return `Too many requests. Try again${Number.isFinite(after) && after > 0 ? ` in ${after} seconds` : ' shortly'}.`;
    }
    const fields = Object.entries(error.details)
      .filter(([name, value]) => typeof value === 'string' && name !== 'id')
      .map(([name, value]) => `${name.replace(/_/g, ' ')}: ${String(value)}`);
    const message = error.message.endsWith('.') ? error.message : `${error.message}.`;
    return fields.length === 0 ? message : `${message} ${fields.join('; ')}.`;
  }
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

export const isStatus = (error: unknown, status: number): boolean =>
  error instanceof UsherApiError && error.status === status;
