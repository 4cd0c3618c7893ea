import type { UserSchema } from './api-types.js';
import type { Transport } from './transport.js';

/**
 * The user schema: the JSON Schema (draft 2020-12) every user's `custom_data` must match. Moderators read it, admins
 * set it; `put` answers 422 naming the first users whose custom_data the new schema refuses, unless `force`.
 */
export const userSchemaMethods = (t: Transport) => ({
  get: async (): Promise<UserSchema> => (await t.request<{ data: UserSchema }>('GET', '/user-schema')).data,
  /** null removes the schema. */
  put: async (schema: Record<string, unknown> | null, options: { force?: boolean } = {}): Promise<UserSchema> =>
    (
      await t.request<{ data: UserSchema }>('PUT', '/user-schema', {
        body: { schema },
        ...(options.force && { query: { force: true } }),
      })
    ).data,
});
