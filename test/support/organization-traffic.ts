import type { TestApp } from './helper.js';

type Expect = (api: TestApp, status: number, ...args: Parameters<TestApp['request']>) => Promise<{ body: any }>;

const NO_ONE = '01900000-0000-7000-8000-000000000000';

/** Every organization operation once, through the contract checker (test/http/openapi-contract.test.ts). */
export async function organizationTraffic(api: TestApp, expect: Expect): Promise<void> {
  const auth = { token: (await api.admin()).token };
  const mod = { token: (await api.withRole('moderator')).token };
  const user = await api.user();
  const me = { token: user.token };
  const org = (
    await expect(api, 201, 'POST', '/api/v1/organizations', {
      ...auth,
      body: { name: 'Contract Co', domains: ['contract.example'], custom_data: { tier: 1 } },
    })
  ).body.data;
  await expect(api, 400, 'POST', '/api/v1/organizations', { ...auth, body: { name: 'X', slug: 'NO' } });
  await expect(api, 409, 'POST', '/api/v1/organizations', { ...auth, body: { name: 'Y', slug: org.slug } });
  await expect(api, 403, 'POST', '/api/v1/organizations', { ...mod, body: { name: 'Z' } });
  await expect(api, 200, 'GET', '/api/v1/organizations?search=contract&limit=5', mod);
  await expect(api, 200, 'GET', `/api/v1/organizations/${org.slug}`, mod);
  await expect(api, 404, 'GET', `/api/v1/organizations/${NO_ONE}`, auth);
  await expect(api, 200, 'PATCH', `/api/v1/organizations/${org.id}`, { ...auth, body: { name: 'Contract Inc' } });
  await expect(api, 201, 'POST', `/api/v1/organizations/${org.id}/members`, { ...auth, body: { user_id: user.id } });
  await expect(api, 409, 'POST', `/api/v1/organizations/${org.id}/members`, { ...auth, body: { user_id: user.id } });
  await expect(api, 200, 'GET', `/api/v1/organizations/${org.id}/members?search=${user.username}`, mod);
  await expect(api, 200, 'PUT', `/api/v1/organizations/${org.id}/members/${user.id}/roles`, {
    ...auth,
    body: { roles: [] },
  });
  await expect(api, 400, 'PUT', `/api/v1/organizations/${org.id}/members/${user.id}/roles`, {
    ...auth,
    body: { roles: ['no-such-role'] },
  });
  await expect(api, 200, 'GET', '/api/v1/auth/organizations', me);
  await expect(api, 401, 'GET', '/api/v1/auth/organizations');
  await expect(api, 204, 'DELETE', `/api/v1/organizations/${org.id}/members/${user.id}`, auth);
  const invitation = (
    await expect(api, 201, 'POST', `/api/v1/organizations/${org.id}/invitations`, {
      ...auth,
      body: { email: user.email },
    })
  ).body.data;
  await expect(api, 400, 'POST', `/api/v1/organizations/${org.id}/invitations`, { ...auth, body: { email: 'x' } });
  await expect(api, 200, 'GET', `/api/v1/organizations/${org.id}/invitations?status=pending`, mod);
  await expect(api, 400, 'POST', '/api/v1/auth/invitations/accept', { ...me, body: { code: '12345' } });
  await expect(api, 204, 'DELETE', `/api/v1/organizations/${org.id}/invitations/${invitation.id}`, auth);
  await expect(api, 409, 'DELETE', `/api/v1/organizations/${org.id}/invitations/${invitation.id}`, auth);
  await expect(api, 204, 'DELETE', `/api/v1/organizations/${org.id}`, auth);
}
