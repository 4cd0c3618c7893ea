import type { TestApp } from './helper.js';

type Expect = (api: TestApp, status: number, ...args: Parameters<TestApp['request']>) => Promise<{ body: any }>;

const NO_ONE = '01900000-0000-7000-8000-000000000000';

/** Every webhook operation once, through the contract checker (test/http/openapi-contract.test.ts). */
export async function webhookTraffic(api: TestApp, expect: Expect): Promise<void> {
  const auth = { token: (await api.admin()).token };
  const mod = { token: (await api.withRole('moderator')).token };
  const hook = (
    await expect(api, 201, 'POST', '/api/v1/webhooks', {
      ...auth,
      body: { url: 'https://hooks.example.com/usher', event_types: ['user.created', 'session.revoked'] },
    })
  ).body.data;
  await expect(api, 400, 'POST', '/api/v1/webhooks', { ...auth, body: { url: 'https://10.0.0.1/x' } });
  await expect(api, 403, 'POST', '/api/v1/webhooks', { ...mod, body: { url: 'https://hooks.example.com/x' } });
  await expect(api, 200, 'GET', '/api/v1/webhooks', mod);
  await expect(api, 200, 'GET', `/api/v1/webhooks/${hook.id}`, mod);
  await expect(api, 404, 'GET', `/api/v1/webhooks/${NO_ONE}`, auth);
  await expect(api, 200, 'PATCH', `/api/v1/webhooks/${hook.id}`, { ...auth, body: { description: 'CRM' } });
  await expect(api, 200, 'POST', `/api/v1/webhooks/${hook.id}/secret`, auth);
  const delivery = (await expect(api, 202, 'POST', `/api/v1/webhooks/${hook.id}/test`, auth)).body.data;
  await expect(api, 200, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?status=pending&limit=5`, mod);
  await expect(api, 400, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?cursor=nonsense`, mod);
  await expect(api, 202, 'POST', `/api/v1/webhooks/${hook.id}/deliveries/${delivery.id}/resend`, auth);
  await expect(api, 404, 'POST', `/api/v1/webhooks/${hook.id}/deliveries/${NO_ONE}/resend`, auth);
  await expect(api, 204, 'DELETE', `/api/v1/webhooks/${hook.id}`, auth);
}
