import type { LoginInput, MfaChallenge, Tokens } from './api-types.js';
import { UsherApiError } from './errors.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Usher's /api/v1 base, e.g. `https://users.example.com/api/v1` (a trailing slash is fine). */
  baseURL: string;
  /** Sent as `X-API-Key` on every call; takes precedence over the other credentials. */
  apiKey?: string;
  /** Sent as `Authorization: Bearer`. */
  accessToken?: string;
  /** With it, an access token the server refuses is renewed once, automatically. */
  refreshToken?: string;
  /**
   * Logged in with (POST /auth/login) on the first call that needs a credential; an address with '@' is sent as
   * `email`.
   */
  username?: string;
  password?: string;
  /**
   * Called with every new pair of tokens (login, refresh, MFA), so an app that keeps them can store the rotated refresh
   * token.
   */
  onTokens?: (tokens: Tokens) => void;
  /** Defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
}

export interface Call {
  query?: object;
  body?: unknown;
  /** false: send no credential of the client's own (public operations, or ones that bring their own). */
  auth?: boolean;
  headers?: Record<string, string>;
}

/** An answer's body with the response it came in (for its headers: `ETag`). */
export interface Answer<T> {
  body: T;
  response: Response;
}

/**
 * The client's credentials and its one way to the server: each call sends the client's credential, and an access token
 * the server refuses is renewed once (by refresh, else by login) and the call retried once.
 */
export class Transport {
  readonly #baseURL: string;
  readonly #fetch: FetchLike;
  readonly #apiKey: string | undefined;
  readonly login: LoginInput | undefined;
  readonly #onTokens: ((tokens: Tokens) => void) | undefined;
  accessToken: string | undefined;
  refreshToken: string | undefined;
  /**
   * The one login or refresh under way: concurrent calls refused with the same token wait for it instead of starting
   * their own.
   */
  #renewing: Promise<void> | undefined;

  constructor(options: ClientOptions) {
    if (typeof options?.baseURL !== 'string' || options.baseURL === '')
      throw new TypeError('UserManagementClient: baseURL is required');
    let base = options.baseURL;
    while (base.endsWith('/')) base = base.slice(0, -1);
    this.#baseURL = base;
    // Called through globalThis: a browser's fetch refuses to run as a method of another object.
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.#apiKey = options.apiKey;
    this.accessToken = options.accessToken;
    this.refreshToken = options.refreshToken;
    this.#onTokens = options.onTokens;
    if (options.username !== undefined && options.password !== undefined) {
      const { username, password } = options;
      this.login = username.includes('@') ? { email: username, password } : { username, password };
    }
  }

  keep(tokens: Tokens): Tokens {
    this.accessToken = tokens.access_token;
    this.refreshToken = tokens.refresh_token;
    this.#onTokens?.(tokens);
    return tokens;
  }

  /** Logs in, keeping the tokens; with a second factor on, the answer is a challenge instead. */
  async logIn(credentials: LoginInput | undefined = this.login): Promise<Tokens | MfaChallenge> {
    if (!credentials)
      throw new TypeError('auth.login: no credentials given, and the client has no username and password');
    const answer = await this.request<Tokens | MfaChallenge>('POST', '/auth/login', { body: credentials, auth: false });
    if (!('mfa_required' in answer)) this.keep(answer);
    return answer;
  }

  async refresh(refreshToken: string | undefined = this.refreshToken, organizationId?: string | null): Promise<Tokens> {
    if (refreshToken === undefined) throw new TypeError('auth.refresh: the client holds no refresh token');
    const body = {
      refresh_token: refreshToken,
      ...(organizationId === undefined ? {} : { organization_id: organizationId }),
    };
    return this.keep(await this.request<Tokens>('POST', '/auth/refresh', { body, auth: false }));
  }

  /** The bearer token to send, logging in or refreshing first when the client has none yet. */
  async #bearer(): Promise<string | undefined> {
    if (this.accessToken === undefined && (this.refreshToken !== undefined || this.login !== undefined))
      await this.#renew(undefined);
    return this.accessToken;
  }

  /**
   * Replaces `stale`, the access token a call was made with: by refresh when the client holds a refresh token, else by
   * login.
   */
  #renew(stale: string | undefined): Promise<void> {
    // Another call already replaced it.
    if (this.accessToken !== stale) return Promise.resolve();
    this.#renewing ??= (async () => {
      if (this.refreshToken !== undefined) {
        await this.refresh(this.refreshToken);
        return;
      }
      if ('mfa_required' in (await this.logIn()))
        throw new Error(
          'This account has a second factor on: log in with client.auth.login() and finish with client.auth.verifyMfa()',
        );
    })().finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  /** The answer's JSON body; a failure is thrown as an UsherApiError. */
  async request<T = unknown>(method: string, path: string, call: Call = {}): Promise<T> {
    return (await this.exchange<T>(method, path, call)).body;
  }

  /** As `request`, with the response too. */
  async exchange<T = unknown>(method: string, path: string, call: Call = {}): Promise<Answer<T>> {
    const url = this.#baseURL + path + queryString(call.query);
    const send = async () => {
      const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      let bearer: string | undefined;
      if (call.auth !== false) {
        if (this.#apiKey !== undefined) headers['x-api-key'] = this.#apiKey;
        else if ((bearer = await this.#bearer()) !== undefined) headers.authorization = `Bearer ${bearer}`;
      }
      const response = await this.#fetch(url, {
        method,
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
      return { response, bearer };
    };
    let { response, bearer } = await send();
    // An expired (or otherwise refused) access token: renew it once and retry once. A second 401 is thrown.
    if (response.status === 401 && bearer !== undefined && this.refreshToken !== undefined) {
      await this.#renew(bearer);
      ({ response } = await send());
    }
    return { body: await readAnswer<T>(response), response };
  }
}

function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== null) params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * An Usher answer read as the client reads its own: the JSON body of a success (undefined for a 204), or an
 * UsherApiError with the server's code, message and details. For calls to Usher that the client does not make itself.
 */
export async function readAnswer<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok && body !== undefined) return body as T;
  throw UsherApiError.from(response, body);
}

/** A path with each id percent-encoded: route`/users/${id}/sessions`. */
export const route = (template: TemplateStringsArray, ...ids: string[]): string =>
  template.reduce((out, part, i) => out + encodeURIComponent(ids[i - 1]!) + part);
