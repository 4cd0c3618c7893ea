import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../../core/errors.js';
import { GROUP_SCHEMA, type GroupView } from '../../core/scim/groups.js';
import { userResource } from '../../core/scim/user-resource.js';
import { versionOf } from '../../core/scim/versions.js';
import type { ScimMember } from '../../core/storage.js';
import { statusOf } from '../../http/status.js';

/** SCIM's wire shapes: resources with meta, list responses, the error schema (RFC 7644 3.12). */

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_TYPE = 'application/scim+json; charset=utf-8';

/** Where the resources live, for meta.location. */
export type BaseUrl = string;

const SCIM_TYPE_OF: Partial<Record<AppError['code'], string>> = {
  VALIDATION_ERROR: 'invalidValue',
  DUPLICATE_RESOURCE: 'uniqueness',
};

/** Any error in the SCIM error schema: status as a string, scimType where RFC 7644 names one, detail. */
export function errorScim(error: AppError, _request: FastifyRequest): unknown {
  const given = error.details?.scimType;
  const scimType = typeof given === 'string' ? given : SCIM_TYPE_OF[error.code];
  const fields =
    error.code === 'VALIDATION_ERROR' && error.details && given === undefined
      ? // Each field with its message: a refused custom_data key (the user schema) is named, e.g. custom_data.department.
        Object.entries(error.details).flatMap(([k, v]) => (typeof v === 'string' ? [`${k}: ${v}`] : []))
      : [];
  const detail = fields.length > 0 ? `${error.message}: ${fields.join('; ')}` : error.message;
  return {
    schemas: [ERROR_SCHEMA],
    status: String(statusOf(error)),
    ...(scimType !== undefined && { scimType }),
    detail,
  };
}

export function userBody(base: BaseUrl, m: ScimMember): Record<string, unknown> {
  return {
    ...userResource(m),
    meta: {
      resourceType: 'User',
      created: m.user.createdAt,
      lastModified: [m.user.updatedAt, m.link?.updatedAt ?? ''].sort().at(-1),
      location: `${base}/Users/${m.user.id}`,
      version: versionOf(m.user.updatedAt, m.link?.updatedAt),
    },
  };
}

export function groupBody(base: BaseUrl, v: GroupView): Record<string, unknown> {
  const { group } = v;
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.externalId !== null && { externalId: group.externalId }),
    displayName: group.displayName,
    ...(v.members && {
      members: v.members.map((m) => ({
        value: m.id,
        display: m.userName,
        $ref: `${base}/Users/${m.id}`,
        type: 'User',
      })),
    }),
    meta: {
      resourceType: 'Group',
      created: group.createdAt,
      lastModified: group.updatedAt,
      location: `${base}/Groups/${group.id}`,
      version: versionOf(group.updatedAt),
    },
  };
}

export function listBody<T>(page: { total: number; startIndex: number; items: T[] }, present: (item: T) => unknown) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: page.total,
    startIndex: page.startIndex,
    itemsPerPage: page.items.length,
    Resources: page.items.map(present),
  };
}

/** A resource with its version as the ETag header too. */
export function versioned(reply: FastifyReply, body: Record<string, unknown>): Record<string, unknown> {
  reply.header('etag', (body.meta as { version: string }).version);
  return body;
}
