import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.js';
import { GROUP_SCHEMA } from '../../core/scim/groups.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from '../../core/scim/user-resource.js';
import { COUNT_MAX } from '../../core/scim/versions.js';
import { MAX_OPERATIONS } from '../../core/scim/patch.js';
import { type BaseUrl, LIST_SCHEMA } from './presenter.js';

/** ServiceProviderConfig, ResourceTypes and Schemas (RFC 7644 4, RFC 7643 5-7): what this server supports. */

const attr = (name: string, type: string, more: Record<string, unknown> = {}) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...more,
});

const SCHEMAS = [
  {
    id: USER_SCHEMA,
    name: 'User',
    description: 'User Account',
    attributes: [
      attr('userName', 'string', { required: true, uniqueness: 'server' }),
      attr('name', 'complex', {
        subAttributes: [
          attr('givenName', 'string'),
          attr('familyName', 'string'),
          attr('formatted', 'string', { mutability: 'readOnly' }),
        ],
      }),
      attr('emails', 'complex', {
        multiValued: true,
        subAttributes: [attr('value', 'string'), attr('type', 'string'), attr('primary', 'boolean')],
      }),
      attr('active', 'boolean'),
      attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
    ],
  },
  {
    id: ENTERPRISE_SCHEMA,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: [
      attr('employeeNumber', 'string'),
      attr('department', 'string'),
      attr('manager', 'complex', { subAttributes: [attr('value', 'string')] }),
    ],
  },
  {
    id: GROUP_SCHEMA,
    name: 'Group',
    description: 'Group: an organization role',
    attributes: [
      attr('displayName', 'string', { required: true }),
      attr('members', 'complex', {
        multiValued: true,
        subAttributes: [
          attr('value', 'string', { mutability: 'immutable' }),
          attr('display', 'string', { mutability: 'readOnly' }),
        ],
      }),
    ],
  },
];

export function discoveryRoutes(app: FastifyInstance, base: BaseUrl): void {
  const schemas = SCHEMAS.map((s) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    ...s,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` },
  }));
  const types = [
    {
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
    },
    { id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA, schemaExtensions: [] },
  ].map((t) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    ...t,
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${t.id}` },
  }));
  const list = (items: unknown[]) => ({
    schemas: [LIST_SCHEMA],
    totalResults: items.length,
    startIndex: 1,
    itemsPerPage: items.length,
    Resources: items,
  });

  app.get('/ServiceProviderConfig', async () => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://github.com/usher-identity/usher#scim-provisioning',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: COUNT_MAX },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: `A scim_ token of the organization; PATCH takes at most ${MAX_OPERATIONS} operations`,
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  }));
  app.get('/ResourceTypes', async () => list(types));
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request) => {
    const found = types.find((t) => t.id === request.params.id);
    if (!found) throw notFound('Resource type', request.params.id);
    return found;
  });
  app.get('/Schemas', async () => list(schemas));
  app.get<{ Params: { id: string } }>('/Schemas/:id', async (request) => {
    const found = schemas.find((s) => s.id === request.params.id);
    if (!found) throw notFound('Schema', request.params.id);
    return found;
  });
}
