import type {
  ApiKey,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateUserInput,
  ListUsersQuery,
  LoginInput,
  MfaChallenge,
  MfaVerifyInput,
  Pagination,
  PatchUserInput,
  ReplaceUserInput,
  Tokens,
  User,
} from './api-types.js';
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

export interface UserList {
  data: User[];
  pagination: Pagination;
}

interface Call {
  query?: object;
  body?: unknown;
  /** false: send no credential of the client's own (public operations, or ones that bring their own). */
  auth?: boolean;
  headers?: Record<string, string>;
}

const route = (template: TemplateStringsArray, ...ids: string[]) =>
  template.reduce((out, part, i) => out + encodeURIComponent(ids[i - 1]!) + part);

/** A client of Usher's /api/v1: users, tokens and API keys. Fetch only, for Node 20+ and browsers. */
export class UserManagementClient {
  readonly #baseURL: string;
  readonly #fetch: FetchLike;
  readonly #apiKey: string | undefined;
  readonly #login: LoginInput | undefined;
  readonly #onTokens: ((tokens: Tokens) => void) | undefined;
  #accessToken: string | undefined;
  #refreshToken: string | undefined;
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
    this.#accessToken = options.accessToken;
    this.#refreshToken = options.refreshToken;
    this.#onTokens = options.onTokens;
    if (options.username !== undefined && options.password !== undefined) {
      const { username, password } = options;
      this.#login = username.includes('@') ? { email: username, password } : { username, password };
    }
  }

  readonly users = {
    /** Registers a user (public), or creates one with a role and status (admins, moderators). */
    create: async (input: CreateUserInput): Promise<User> =>
      (await this.#request<{ data: User }>('POST', '/users', { body: input })).data,
    get: async (id: string): Promise<User> => (await this.#request<{ data: User }>('GET', route`/users/${id}`)).data,
    /** PUT: replaces the user's profile fields; omitted optional ones are cleared. */
    update: async (id: string, input: ReplaceUserInput): Promise<User> =>
      (await this.#request<{ data: User }>('PUT', route`/users/${id}`, { body: input })).data,
    /** PATCH: changes only the given fields; null clears an optional one. */
    patch: async (id: string, input: PatchUserInput): Promise<User> =>
      (await this.#request<{ data: User }>('PATCH', route`/users/${id}`, { body: input })).data,
    /** Soft delete; `restore` brings the user back. */
    delete: async (id: string): Promise<void> => void (await this.#request('DELETE', route`/users/${id}`)),
    restore: async (id: string): Promise<User> =>
      (await this.#request<{ data: User }>('POST', route`/users/${id}/restore`)).data,
    /** One page: by `page` and `limit`, or by `cursor` (the previous page's `pagination.next_cursor`). */
    list: async (query: ListUsersQuery = {}): Promise<UserList> => {
      const { data, pagination } = await this.#request<UserList>('GET', '/users', { query });
      return { data, pagination };
    },
    /** Every user the query matches, page after page by cursor (each page as cheap as the first). */
    iterate: (query: Omit<ListUsersQuery, 'page' | 'cursor'> = {}): AsyncGenerator<User, void, undefined> =>
      this.#walk(query),
  };

  readonly auth = {
    /**
     * Logs in (by default with the constructor's username and password) and keeps the tokens.
     * With a second factor on, the answer is a challenge instead: finish with `verifyMfa`.
     */
    login: async (credentials: LoginInput | undefined = this.#login): Promise<Tokens | MfaChallenge> => {
      if (!credentials)
        throw new TypeError('auth.login: no credentials given, and the client has no username and password');
      const answer = await this.#request<Tokens | MfaChallenge>('POST', '/auth/login', {
        body: credentials,
        auth: false,
      });
      if (!('mfa_required' in answer)) this.#keep(answer);
      return answer;
    },
    /** Answers a login's MFA challenge with a TOTP `code` or a `recovery_code`, and keeps the tokens. */
    verifyMfa: async (input: MfaVerifyInput): Promise<Tokens> =>
      this.#keep(await this.#request<Tokens>('POST', '/auth/mfa/verify', { body: input, auth: false })),
    /** Exchanges the refresh token (by default the client's) for new tokens, and keeps them. */
    refresh: async (refreshToken: string | undefined = this.#refreshToken): Promise<Tokens> => {
      if (refreshToken === undefined) throw new TypeError('auth.refresh: the client holds no refresh token');
      return this.#keep(
        await this.#request<Tokens>('POST', '/auth/refresh', { body: { refresh_token: refreshToken }, auth: false }),
      );
    },
    /** Ends the session the client holds and forgets its tokens; with no session, does nothing. */
    logout: async (): Promise<void> => {
      if (this.#accessToken === undefined && this.#refreshToken === undefined) return;
      // Not the usual credential path: renewing a token only to end its session would be wasted.
      // With the refresh token in the body the server ends the session even if the access token expired.
      await this.#request('POST', '/auth/logout', {
        auth: false,
        headers: this.#accessToken === undefined ? {} : { authorization: `Bearer ${this.#accessToken}` },
        ...(this.#refreshToken === undefined ? {} : { body: { refresh_token: this.#refreshToken } }),
      });
      this.#accessToken = this.#refreshToken = undefined;
    },
  };

  /** API keys, managed by signed-in admins (a key cannot manage keys). */
  readonly apiKeys = {
    /** The answer's `key` is the secret, shown only this once. */
    create: async (input: CreateApiKeyInput): Promise<CreatedApiKey> =>
      (await this.#request<{ data: CreatedApiKey }>('POST', '/api-keys', { body: input })).data,
    list: async (): Promise<ApiKey[]> => (await this.#request<{ data: ApiKey[] }>('GET', '/api-keys')).data,
    revoke: async (id: string): Promise<void> => void (await this.#request('DELETE', route`/api-keys/${id}`)),
  };

  async *#walk(query: Omit<ListUsersQuery, 'page' | 'cursor'>): AsyncGenerator<User, void, undefined> {
    let cursor: string | null = null;
    do {
      const page: UserList = await this.users.list(cursor === null ? query : { ...query, cursor });
      yield* page.data;
      cursor = page.pagination.next_cursor;
    } while (cursor !== null);
  }

  #keep(tokens: Tokens): Tokens {
    this.#accessToken = tokens.access_token;
    this.#refreshToken = tokens.refresh_token;
    this.#onTokens?.(tokens);
    return tokens;
  }

  /** The bearer token to send, logging in or refreshing first when the client has none yet. */
  async #bearer(): Promise<string | undefined> {
    if (this.#accessToken === undefined && (this.#refreshToken !== undefined || this.#login !== undefined))
      await this.#renew(undefined);
    return this.#accessToken;
  }

  /**
   * Replaces `stale`, the access token a call was made with: by refresh when the client holds a refresh token, else by
   * login.
   */
  #renew(stale: string | undefined): Promise<void> {
    // Another call already replaced it.
    if (this.#accessToken !== stale) return Promise.resolve();
    this.#renewing ??= (async () => {
      if (this.#refreshToken !== undefined) {
        await this.auth.refresh();
        return;
      }
      const answer = await this.auth.login();
      if ('mfa_required' in answer)
        throw new Error(
          'This account has a second factor on: log in with client.auth.login() and finish with client.auth.verifyMfa()',
        );
    })().finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  async #request<T = unknown>(method: string, path: string, call: Call = {}): Promise<T> {
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
    if (response.status === 401 && bearer !== undefined && this.#refreshToken !== undefined) {
      await this.#renew(bearer);
      ({ response } = await send());
    }
    return parse<T>(response);
  }
}

function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== null) params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

async function parse<T>(response: Response): Promise<T> {
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
