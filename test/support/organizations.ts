import type { TestApp } from './helper.js';
import { unique } from './helper.js';

/**
 * An organization made the way an admin makes one, through POST /api/v1/organizations (the one fixture for the
 * organizations, roles and SCIM tests: none writes the organizations' tables itself). Answers its id.
 */
export async function createOrganization(api: TestApp, o: { name?: string; domains?: string[] } = {}): Promise<string> {
  const admin = await api.admin();
  const res = await api.request('POST', '/api/v1/organizations', {
    token: admin.token,
    body: { name: o.name ?? unique('org'), ...(o.domains && { domains: o.domains }) },
  });
  if (res.status !== 201) throw new Error(`organization: ${res.status} ${res.raw}`);
  return res.body.data.id as string;
}
