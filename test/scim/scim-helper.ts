import type { TestApp } from '../support/helper.js';
import { unique } from '../support/helper.js';
import { createOrganization } from '../support/organizations.js';

/** An organization, made through /api/v1 (test/support/organizations.ts). */
export const organization = (api: TestApp): Promise<string> => createOrganization(api);

/** A SCIM token of the organization, made by the admin through /api/v1. */
export async function scimToken(api: TestApp, organizationId: string): Promise<string> {
  const admin = await api.admin();
  const res = await api.request('POST', `/api/v1/organizations/${organizationId}/scim-tokens`, {
    token: admin.token,
    body: { name: 'Entra ID' },
  });
  if (res.status !== 201) throw new Error(`scim token: ${res.status} ${res.raw}`);
  return res.body.data.token;
}

export interface ScimResponse {
  status: number;
  headers: Record<string, unknown>;
  body: any;
}

/** A SCIM client over inject: bearer token, application/scim+json. */
export function scimClient(api: TestApp, token: string) {
  return async (
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ScimResponse> => {
    const res = await api.app.inject({
      method: method as 'GET',
      url: `/scim/v2${url}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/scim+json' }),
        ...headers,
      },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
  };
}

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A user as Entra's validator sends it. */
export function entraUser(n = unique('e')) {
  return {
    schemas: [USER, ENTERPRISE],
    externalId: `ext-${n}`,
    userName: `${n}@contoso.example.com`,
    active: true,
    displayName: `Display ${n}`,
    emails: [{ primary: true, type: 'work', value: `${n}@contoso.example.com` }],
    name: { formatted: 'Ada Lovelace', familyName: 'Lovelace', givenName: 'Ada' },
    title: 'Engineer',
    [ENTERPRISE]: { employeeNumber: '42', department: 'R&D', manager: { value: 'mgr-1' } },
  };
}
