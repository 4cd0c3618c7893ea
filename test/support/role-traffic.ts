import type { TestApp } from './helper.js';

type Expect = (api: TestApp, status: number, ...args: Parameters<TestApp['request']>) => Promise<{ body: any }>;

const NO_ONE = '01900000-0000-7000-8000-000000000000';

/** Every roles and permissions operation once, through the contract checker (test/http/openapi-contract.test.ts). */
export async function roleTraffic(api: TestApp, expect: Expect): Promise<void> {
  const auth = { token: (await api.admin()).token };
  const mod = { token: (await api.withRole('moderator')).token };
  const user = await api.user();
  const role = (
    await expect(api, 201, 'POST', '/api/v1/roles', {
      ...auth,
      body: { name: 'billing', description: 'Invoices', permissions: ['invoices:read'], scope: 'global' },
    })
  ).body.data;
  await expect(api, 400, 'POST', '/api/v1/roles', { ...auth, body: { name: 'has space', scope: 'global' } });
  await expect(api, 409, 'POST', '/api/v1/roles', { ...auth, body: { name: 'billing', scope: 'global' } });
  await expect(api, 403, 'POST', '/api/v1/roles', { ...mod, body: { name: 'nope', scope: 'global' } });
  await expect(api, 200, 'GET', '/api/v1/roles?scope=global&search=bill&limit=5', mod);
  await expect(api, 200, 'GET', `/api/v1/roles/${role.id}`, mod);
  await expect(api, 404, 'GET', `/api/v1/roles/${NO_ONE}`, auth);
  await expect(api, 200, 'PATCH', `/api/v1/roles/${role.id}`, {
    ...auth,
    body: { permissions: ['invoices:read', 'invoices:write'] },
  });
  await expect(api, 200, 'PUT', `/api/v1/users/${user.id}/roles`, { ...auth, body: { roles: ['billing'] } });
  await expect(api, 400, 'PUT', `/api/v1/users/${user.id}/roles`, { ...auth, body: { roles: ['no-such-role'] } });
  await expect(api, 200, 'GET', `/api/v1/users/${user.id}/roles`, mod);
  await expect(api, 200, 'GET', `/api/v1/users/${user.id}/permissions`, { token: user.token });
  await expect(api, 404, 'GET', `/api/v1/users/${user.id}/permissions?organization_id=${NO_ONE}`, auth);
  await expect(api, 204, 'DELETE', `/api/v1/roles/${role.id}`, auth);
}
