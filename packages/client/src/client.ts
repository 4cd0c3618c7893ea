import type {
  ApiKey,
  AuditEventList,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateUserInput,
  ListAuditEventsQuery,
  ListSessionsQuery,
  ListUsersQuery,
  LoginInput,
  MfaChallenge,
  MfaVerifyInput,
  Pagination,
  PatchUserInput,
  ReplaceUserInput,
  SessionList,
  SigningKey,
  StatsSummary,
  Tokens,
  User,
} from './api-types.js';
import { type ClientOptions, Transport, route } from './transport.js';
import { applicationMethods } from './application-methods.js';
import { passkeyMethods } from './passkeys.js';
import { identityMethods, identityProviderMethods } from './upstream.js';
import { organizationSsoMethods } from './organization-sso-methods.js';
import { webhookMethods } from './webhook-methods.js';
import { organizationMethods } from './organization-methods.js';
import { roleMethods, userRoleMethods } from './role-methods.js';
import { scimTokenMethods } from './scim-token-methods.js';
import { userSchemaMethods } from './user-schema-methods.js';

export interface UserList {
  data: User[];
  pagination: Pagination;
}

/** A user with the `ETag` of the answer that carried it: pass it back as `ifMatch` to write only over this version. */
export interface UserWithETag {
  user: User;
  /** Null only when something between the client and Usher dropped the header. */
  etag: string | null;
}

export interface WriteOptions {
  /**
   * The `etag` of the version read: sent as `If-Match`, so the write is refused (412, `PRECONDITION_FAILED`) if the
   * user changed since. Without it (or with null) the write applies to whatever version is current.
   */
  ifMatch?: string | null;
}

const ifMatch = (options: WriteOptions | undefined): Record<string, string> =>
  options?.ifMatch ? { 'if-match': options.ifMatch } : {};

/** A client of Usher's /api/v1: users, tokens, API keys, applications, sessions and audit events. Fetch only, for Node 20+ and browsers. */
export class UserManagementClient {
  readonly #t: Transport;

  /**
   * Passkeys: the signed-in user's own, anyone's for admins, and signing in with one: passkeys.ts.
   */
  readonly passkeys: ReturnType<typeof passkeyMethods>;
  /** Upstream identity providers (admins; `listPublic` for anyone): upstream.ts. */
  readonly identityProviders: ReturnType<typeof identityProviderMethods>;
  /** The signed-in user's linked accounts at identity providers: upstream.ts. */
  readonly identities: ReturnType<typeof identityMethods>;
  /** Webhook endpoints and their deliveries (admins; moderators read): webhook-methods.ts. */
  /**
   * Applications, the OpenID Connect clients: created, changed, deleted and given new secrets by signed-in admins;
   * listed and read by moderators too (application-methods.ts).
   */
  readonly applications: ReturnType<typeof applicationMethods>;
  readonly webhooks: ReturnType<typeof webhookMethods>;
  /**
   * Organizations, members and invitations (admins; moderators read): organization-methods.ts; `scimTokens`, the
   * bearer tokens of their directories' /scim/v2 provisioning: scim-token-methods.ts.
   */
  readonly organizations: ReturnType<typeof organizationMethods> & { scimTokens: ReturnType<typeof scimTokenMethods> };
  /** An organization's single sign-on and home realm discovery: organization-sso-methods.ts. */
  readonly organizationSso: ReturnType<typeof organizationSsoMethods>;
  /** The roles a team defines (admins; moderators read): role-methods.ts. */
  readonly roles: ReturnType<typeof roleMethods>;
  /** The JSON Schema users' custom_data must match (admins set, moderators read): user-schema-methods.ts. */
  readonly userSchema: ReturnType<typeof userSchemaMethods>;

  constructor(options: ClientOptions) {
    this.#t = new Transport(options);
    this.passkeys = passkeyMethods(this.#t);
    this.identityProviders = identityProviderMethods(this.#t);
    this.identities = identityMethods(this.#t);
    this.applications = applicationMethods(this.#t);
    this.webhooks = webhookMethods(this.#t);
    this.organizations = { ...organizationMethods(this.#t), scimTokens: scimTokenMethods(this.#t) };
    this.organizationSso = organizationSsoMethods(this.#t);
    this.roles = roleMethods(this.#t);
    this.userSchema = userSchemaMethods(this.#t);
  }

  readonly users = {
    /** Registers a user (public), or creates one with a role and status (admins, moderators). */
    create: async (input: CreateUserInput): Promise<User> =>
      (await this.#t.request<{ data: User }>('POST', '/users', { body: input })).data,
    get: async (id: string): Promise<User> => (await this.users.getWithETag(id)).user,
    /** As `get`, with the answer's `ETag` for a later `patch`, `update` or `patchWithETag` (`ifMatch`). */
    getWithETag: async (id: string): Promise<UserWithETag> => this.#tagged('GET', route`/users/${id}`),
    /** PUT: replaces the user's profile fields; omitted optional ones are cleared. */
    update: async (id: string, input: ReplaceUserInput, options?: WriteOptions): Promise<User> =>
      (await this.#tagged('PUT', route`/users/${id}`, input, options)).user,
    /** PATCH: changes only the given fields; null clears an optional one. */
    patch: async (id: string, input: PatchUserInput, options?: WriteOptions): Promise<User> =>
      (await this.users.patchWithETag(id, input, options)).user,
    /** As `patch`, with the new version's `ETag`, for the next write. */
    patchWithETag: async (id: string, input: PatchUserInput, options?: WriteOptions): Promise<UserWithETag> =>
      this.#tagged('PATCH', route`/users/${id}`, input, options),
    /** Soft delete; `restore` brings the user back. */
    delete: async (id: string): Promise<void> => void (await this.#t.request('DELETE', route`/users/${id}`)),
    restore: async (id: string): Promise<User> =>
      (await this.#t.request<{ data: User }>('POST', route`/users/${id}/restore`)).data,
    /** One page: by `page` and `limit`, or by `cursor` (the previous page's `pagination.next_cursor`). */
    list: async (query: ListUsersQuery = {}): Promise<UserList> => {
      const { data, pagination } = await this.#t.request<UserList>('GET', '/users', { query });
      return { data, pagination };
    },
    /** Every user the query matches, page after page by cursor (each page as cheap as the first). */
    iterate: (query: Omit<ListUsersQuery, 'page' | 'cursor'> = {}): AsyncGenerator<User, void, undefined> =>
      this.#walk(query),
    /** Turns a user's second factor off, for a lost authenticator (admins); they sign in with the password alone. */
    resetMfa: async (id: string): Promise<void> => void (await this.#t.request('DELETE', route`/users/${id}/mfa`)),
    /** The user's global roles (role-methods.ts). */
    roles: (id: string) => userRoleMethods(this.#t).roles(id),
    /** Replaces the user's global roles, by id or name (admins). */
    setRoles: (id: string, roles: string[]) => userRoleMethods(this.#t).setRoles(id, roles),
    /** Effective permissions; with `organizationId`, the user's organization roles there count too. */
    permissions: (id: string, options?: { organizationId?: string }) =>
      userRoleMethods(this.#t).permissions(id, options),
  };

  readonly auth = {
    /**
     * Logs in (by default with the constructor's username and password) and keeps the tokens.
     * With a second factor on, the answer is a challenge instead: finish with `verifyMfa`.
     */
    login: (credentials?: LoginInput): Promise<Tokens | MfaChallenge> => this.#t.logIn(credentials),
    /** Answers a login's MFA challenge with a TOTP `code` or a `recovery_code`, and keeps the tokens. */
    verifyMfa: async (input: MfaVerifyInput): Promise<Tokens> =>
      this.#t.keep(await this.#t.request<Tokens>('POST', '/auth/mfa/verify', { body: input, auth: false })),
    /**
     * Exchanges the refresh token (by default the client's) for new tokens, and keeps them. `organizationId` switches
     * the session to that organization (the tokens carry org_id, org_roles, org_permissions), null to none.
     */
    refresh: (refreshToken?: string, organizationId?: string | null): Promise<Tokens> =>
      this.#t.refresh(refreshToken, organizationId),
    /** Ends the session the client holds and forgets its tokens; with no session, does nothing. */
    logout: async (): Promise<void> => {
      const t = this.#t;
      if (t.accessToken === undefined && t.refreshToken === undefined) return;
      // Not the usual credential path: renewing a token only to end its session would be wasted.
      // With the refresh token in the body the server ends the session even if the access token expired.
      await t.request('POST', '/auth/logout', {
        auth: false,
        headers: t.accessToken === undefined ? {} : { authorization: `Bearer ${t.accessToken}` },
        ...(t.refreshToken === undefined ? {} : { body: { refresh_token: t.refreshToken } }),
      });
      t.accessToken = t.refreshToken = undefined;
    },
    /**
     * Mails a password reset code to `email` if an account has it (the answer is the same either way). Sent with the
     * client's credential when it has one, so an admin tool counts against its own rate limit, not its address's.
     */
    requestPasswordReset: async (email: string): Promise<void> =>
      void (await this.#t.request('POST', '/auth/password-reset/request', { body: { email } })),
    /** Mails a sign-in code to `email` if an account has it (servers with USHER_EMAIL_SIGN_IN=on; else 404). */
    requestEmailSignIn: async (email: string): Promise<void> =>
      void (await this.#t.request('POST', '/auth/email-sign-in/request', { body: { email }, auth: false })),
    /** Signs in with the mailed code and keeps the tokens; with a second factor on, a challenge for `verifyMfa`. */
    signInWithEmail: async (input: { email: string; code: string }): Promise<Tokens | MfaChallenge> => {
      const t = this.#t;
      const answer = await t.request<Tokens | MfaChallenge>('POST', '/auth/email-sign-in', {
        body: input,
        auth: false,
      });
      return 'mfa_required' in answer ? answer : t.keep(answer);
    },
  };

  /** API keys, managed by signed-in admins (a key cannot manage keys). */
  readonly apiKeys = {
    /** The answer's `key` is the secret, shown only this once. */
    create: async (input: CreateApiKeyInput): Promise<CreatedApiKey> =>
      (await this.#t.request<{ data: CreatedApiKey }>('POST', '/api-keys', { body: input })).data,
    list: async (): Promise<ApiKey[]> => (await this.#t.request<{ data: ApiKey[] }>('GET', '/api-keys')).data,
    revoke: async (id: string): Promise<void> => void (await this.#t.request('DELETE', route`/api-keys/${id}`)),
  };

  /** The keys Usher signs tokens with: listed to moderators and admins, rotated by admins (public facts only). */
  readonly signingKeys = {
    list: async (): Promise<SigningKey[]> =>
      (await this.#t.request<{ data: SigningKey[] }>('GET', '/signing-keys')).data,
    /** The next key (already published) signs from now; the current one verifies until its tokens expire. */
    rotate: async (): Promise<SigningKey[]> =>
      (await this.#t.request<{ data: SigningKey[] }>('POST', '/signing-keys/rotate')).data,
  };

  /** A user's sessions (admins): each signed-in device, and ending them. */
  readonly sessions = {
    /** One page of the user's live sessions, newest first; `cursor` is the previous page's `pagination.next_cursor`. */
    list: async (userId: string, query: ListSessionsQuery = {}): Promise<SessionList> => {
      const path = route`/users/${userId}/sessions`;
      const { data, pagination } = await this.#t.request<SessionList>('GET', path, { query });
      return { data, pagination };
    },
    /** Ends one session: its refresh token stops working at once, its access token at expiry. */
    revoke: async (userId: string, sessionId: string): Promise<void> =>
      void (await this.#t.request('DELETE', route`/users/${userId}/sessions/${sessionId}`)),
    /** Ends every session of the user (the caller's own too, if it is theirs). */
    revokeAll: async (userId: string): Promise<void> =>
      void (await this.#t.request('DELETE', route`/users/${userId}/sessions`)),
  };

  /** The audit trail (admins): logins, logouts, user and key changes, newest first; never a secret. */
  readonly auditEvents = {
    /** One page, filtered by `type`, `actor_id`, `target_id`, `since` and `until`; paged by `cursor`. */
    list: async (query: ListAuditEventsQuery = {}): Promise<AuditEventList> => {
      const { data, pagination } = await this.#t.request<AuditEventList>('GET', '/audit-events', { query });
      return { data, pagination };
    },
  };

  /** The console dashboard's figures (admins and moderators): users, sign-ins per day and hour, adoption, failures. */
  readonly stats = {
    summary: async (): Promise<StatsSummary> =>
      (await this.#t.request<{ data: StatsSummary }>('GET', '/stats/summary')).data,
  };

  async #tagged(method: string, path: string, body?: unknown, options?: WriteOptions): Promise<UserWithETag> {
    const call = { headers: ifMatch(options), ...(body === undefined ? {} : { body }) };
    const { body: answer, response } = await this.#t.exchange<{ data: User }>(method, path, call);
    return { user: answer.data, etag: response.headers.get('etag') };
  }

  async *#walk(query: Omit<ListUsersQuery, 'page' | 'cursor'>): AsyncGenerator<User, void, undefined> {
    let cursor: string | null = null;
    do {
      const page: UserList = await this.users.list(cursor === null ? query : { ...query, cursor });
      yield* page.data;
      cursor = page.pagination.next_cursor;
    } while (cursor !== null);
  }
}
