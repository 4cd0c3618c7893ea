import type {
  Passkey,
  PasskeyLoginCredential,
  PasskeyLoginOptions,
  PasskeyRegistrationCredential,
  PasskeyRegistrationOptions,
  Tokens,
} from './api-types.js';
import { type Transport, route } from './transport.js';

/**
 * Passkeys: the signed-in user's own (`mine`, `register…`, `rename`, `remove`), anyone's for admins (`list`,
 * `removeOf`), and signing in with one (`loginOptions`, `login`). Options and credentials are the JSON of
 * @simplewebauthn/browser's `startRegistration`/`startAuthentication`.
 */
export const passkeyMethods = (t: Transport) => ({
  registrationOptions: async (): Promise<PasskeyRegistrationOptions> =>
    t.request<PasskeyRegistrationOptions>('POST', '/auth/passkeys/register/options'),
  register: async (challengeId: string, credential: PasskeyRegistrationCredential, name?: string): Promise<Passkey> =>
    (
      await t.request<{ data: Passkey }>('POST', '/auth/passkeys/register/verify', {
        body: { challenge_id: challengeId, credential, ...(name !== undefined && { name }) },
      })
    ).data,
  mine: async (): Promise<Passkey[]> => (await t.request<{ data: Passkey[] }>('GET', '/auth/passkeys')).data,
  rename: async (id: string, name: string): Promise<Passkey> =>
    (await t.request<{ data: Passkey }>('PATCH', route`/auth/passkeys/${id}`, { body: { name } })).data,
  remove: async (id: string): Promise<void> => void (await t.request('DELETE', route`/auth/passkeys/${id}`)),
  loginOptions: async (username?: string): Promise<PasskeyLoginOptions> =>
    t.request<PasskeyLoginOptions>('POST', '/auth/passkeys/login/options', {
      body: username === undefined ? {} : { username },
      auth: false,
    }),
  /** Signs in with the browser's answer to `loginOptions`, and keeps the tokens (never an MFA step). */
  login: async (challengeId: string, credential: PasskeyLoginCredential): Promise<Tokens> =>
    t.keep(
      await t.request<Tokens>('POST', '/auth/passkeys/login/verify', {
        body: { challenge_id: challengeId, credential },
        auth: false,
      }),
    ),
  list: async (userId: string): Promise<Passkey[]> =>
    (await t.request<{ data: Passkey[] }>('GET', route`/users/${userId}/passkeys`)).data,
  removeOf: async (userId: string, id: string): Promise<void> =>
    void (await t.request('DELETE', route`/users/${userId}/passkeys/${id}`)),
});
