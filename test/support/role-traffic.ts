import type { TestApp } from './helper.js';

type Expect = (api: TestApp, status: number, ...args: Parameters<TestApp['request']>) => Promise<{ body: any }>;

/** Every /api/v1 roles operation once (the contract test: test/http/openapi-contract.test.ts); flows in test/roles/. */
export async function roleTraffic(api: TestApp, expect: Expect): Promise<void> {
  const auth = { token: (await api.admin()).token };
  const user = await api.user();
  const role = (
    await expect(api, 201, 'POST', '/api/v1/roles', {
      ...auth,
      body: { name: 'contract-reader', permissions: ['invoices:read'] },
    })
  ).body.data;
  await expect(api, 400, 'POST', '/api/v1/roles', { ...auth, body: { name: 'bad name' } });
  await expect(api, 200, 'GET', '/api/v1/roles?limit=5', auth);
  await expect(api, 200, 'GET', `/api/v1/roles/${role.id}`, auth);
  await expect(api, 200, 'PATCH', `/api/v1/roles/${role.id}`, { ...auth, body: { description: 'Reads invoices' } });
  await expect(api, 200, 'PUT', `/api/v1/users/${user.id}/roles`, { ...auth, body: { roles: [role.name] } });
  await expect(api, 200, 'GET', `/api/v1/users/${user.id}/roles`, auth);
  await expect(api, 200, 'GET', `/api/v1/users/${user.id}/permissions`, auth);
  await expect(api, 204, 'DELETE', `/api/v1/roles/${role.id}`, auth);
  await expect(api, 404, 'GET', `/api/v1/roles/${role.id}`, auth);
}
