import type { TestApp } from './helper.js';

type Expect = (api: TestApp, status: number, ...args: Parameters<TestApp['request']>) => Promise<{ body: any }>;

/** The user schema's operations, through the contract checker (test/http/openapi-contract.test.ts). */
export async function customDataTraffic(api: TestApp, expect: Expect): Promise<void> {
  const auth = { token: (await api.admin()).token };
  const mod = { token: (await api.withRole('moderator')).token };
  await expect(api, 200, 'GET', '/api/v1/user-schema', mod);
  await expect(api, 403, 'PUT', '/api/v1/user-schema', { ...mod, body: { schema: { type: 'object' } } });
  await expect(api, 400, 'PUT', '/api/v1/user-schema', { ...auth, body: { schema: { type: 'array' } } });
  const u = await api.register();
  await expect(api, 200, 'PATCH', `/api/v1/users/${u.id}`, {
    ...auth,
    body: { custom_data: { plan: 'gold' }, external_id: `ext-${u.id}` },
  });
  const schema = { type: 'object', properties: { plan: { enum: ['free', 'pro'] } } };
  await expect(api, 422, 'PUT', '/api/v1/user-schema', { ...auth, body: { schema } });
  await expect(api, 200, 'PUT', '/api/v1/user-schema?force=true', { ...auth, body: { schema } });
  await expect(api, 200, 'GET', `/api/v1/users?external_id=ext-${u.id}`, mod);
  await expect(api, 200, 'PUT', '/api/v1/user-schema', { ...auth, body: { schema: null } });
}
