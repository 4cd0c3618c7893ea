import { type AuditType, auditEvent, sourceOf } from '../audit.js';
import { notFound, validationError } from '../errors.js';
import type { Storage, Stores } from '../storage.js';
import type { Principal } from '../types.js';
import { LIMITS, checkSearch } from '../users/user.rules.js';
import type { Organization } from './organization.types.js';
import { ORG_LIMITS } from './organization.rules.js';

/** What the organization services share: ids, cursors, page sizes, the audit writer, finding one. */

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface OrgDeps {
  storage: Storage;
  now: () => number;
  /** Tells every instance a user's organization state changed (after the commit). */
  publishUser: (userId: string) => void;
}

export const iso = (now: () => number) => new Date(now()).toISOString();

/** An opaque cursor over some string values. */
export const encodeCursor = (values: string[]): string => Buffer.from(JSON.stringify(values)).toString('base64url');
export function decodeCursor(raw: string, length: number): string[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => typeof v === 'string' && v.length < 64)
    )
      return values as string[];
  } catch {}
  throw validationError({ cursor: 'Cursor is invalid' }, undefined, 'query');
}

export function pageSize(limit: number | undefined): number {
  const size = limit ?? LIMITS.pageSizeDefault;
  if (!Number.isInteger(size) || size < 1 || size > LIMITS.pageSizeMax)
    throw validationError({ limit: `limit must be 1-${LIMITS.pageSizeMax}` }, undefined, 'query');
  return size;
}

export function searchTerm(search: string | undefined): string | undefined {
  if (search === undefined) return undefined;
  const problem = checkSearch(search);
  if (problem) throw validationError({ search: problem }, undefined, 'query');
  return search.trim() || undefined;
}

/** By id or slug; 404 otherwise. */
export async function findOrganization(stores: Stores, idOrSlug: string): Promise<Organization> {
  const found = UUID.test(idOrSlug)
    ? await stores.organizations.find(idOrSlug)
    : idOrSlug.length <= ORG_LIMITS.slugMax
      ? await stores.organizations.findBySlug(idOrSlug)
      : undefined;
  if (!found) throw notFound('Organization', idOrSlug);
  return found;
}

export const recordEvent = (
  s: Stores,
  actor: Principal | null,
  at: string,
  type: AuditType,
  o: Pick<Organization, 'id' | 'slug'>,
  targetId: string | null,
  extra: Record<string, unknown> = {},
) =>
  s.audit.record(
    auditEvent(sourceOf(actor), { type, targetId, details: { organization_id: o.id, slug: o.slug, ...extra } }, at),
  );

/**
 * Role values (ids or names) → the ids of roles of scope `organization`; an unknown one, or a global role, is a 400
 * naming it.
 */
export async function organizationRoleIds(stores: Stores, values: readonly string[] | undefined): Promise<string[]> {
  if (!values || values.length === 0) return [];
  if (values.length > ORG_LIMITS.rolesMax) throw validationError({ roles: `At most ${ORG_LIMITS.rolesMax} roles` });
  const found = await stores.roles.resolve(values);
  const ids = new Set<string>();
  for (const value of values) {
    const role = found.find((r) => r.id === value) ?? found.find((r) => r.name === value);
    if (!role) throw validationError({ roles: `No role "${value.slice(0, 100)}"` });
    if (role.scope !== 'organization')
      throw validationError({ roles: `"${role.name}" is not an organization role (its scope is ${role.scope})` });
    ids.add(role.id);
  }
  return [...ids];
}
