import type { TestApp } from './helper.js';

type Expect = (api: TestApp, status: number, ...args: Parameters<TestApp['request']>) => Promise<{ body: any }>;

const NO_ONE = '01900000-0000-7000-8000-000000000000';

/** Every SCIM-token operation once, through the contract checker (test/http/openapi-contract.test.ts). */
export async function scimTokenTraffic(api: TestApp, expect: Expect): Promise<void> {
  const auth = { token: (await api.admin()).token };
  const mod = { token: (await api.withRole('moderator')).token };
  // An organization row: the organizations API is another part of issue 28.
  const org = crypto.randomUUID();
  const at = new Date().toISOString();
  await api.database.db
    .insertInto('organizations')
    .values({
      id: org,
      name: 'Contract',
      name_key: 'contract',
      slug: `contract-${org.slice(0, 8)}`,
      domains: '[]',
      custom_data: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  const base = `/api/v1/organizations/${org}/scim-tokens`;
  const token = (await expect(api, 201, 'POST', base, { ...auth, body: { name: 'Entra ID' } })).body.data;
  await expect(api, 400, 'POST', base, { ...auth, body: { name: '' } });
  await expect(api, 403, 'POST', base, { ...mod, body: { name: 'x' } });
  await expect(api, 404, 'POST', `/api/v1/organizations/${NO_ONE}/scim-tokens`, { ...auth, body: { name: 'x' } });
  await expect(api, 200, 'GET', base, mod);
  await expect(api, 404, 'DELETE', `${base}/${NO_ONE}`, auth);
  await expect(api, 204, 'DELETE', `${base}/${token.id}`, auth);
}
