import { customDataText } from '../custom-data/custom-data.rules.js';
import { type FieldErrors, notFound, validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageOrganizations, assertCanReadOrganizations, selfOf } from '../policy.js';
import type { Principal } from '../types.js';
import { failIfInvalid, nextUpdatedAt } from '../users/user.rules.js';
import { checkDomains, checkName, checkSlug, slugOf, withSuffix } from './organization.rules.js';
import type {
  ListQuery,
  NewOrganization,
  Organization,
  OrganizationChanges,
  OrganizationPage,
  OwnOrganization,
} from './organization.types.js';
import {
  type OrgDeps,
  UUID,
  decodeCursor,
  encodeCursor,
  findOrganization,
  iso,
  pageSize,
  recordEvent,
  searchTerm,
} from './shared.js';

export interface OrganizationService {
  create(actor: Principal, input: NewOrganization): Promise<Organization>;
  /** Newest first, a page at a time. */
  list(actor: Principal, query?: ListQuery): Promise<OrganizationPage>;
  /** By id or slug. */
  get(actor: Principal, idOrSlug: string): Promise<Organization>;
  /** PATCH: absent fields stay; `domains` is replaced whole. */
  update(actor: Principal, idOrSlug: string, changes: OrganizationChanges): Promise<Organization>;
  /** Gone with its domains, members and invitations; every member's cached state drops. */
  delete(actor: Principal, idOrSlug: string): Promise<void>;
  /** The signed-in caller's own organizations, with their roles there. */
  mine(actor: Principal): Promise<OwnOrganization[]>;
}

const WIRE: Record<string, string> = { name: 'name', slug: 'slug', domains: 'domains', customData: 'custom_data' };

function checked(fields: { name: string; slug: string; domains: string[] }): void {
  const errors: FieldErrors = {};
  checkName(errors, fields.name);
  checkSlug(errors, fields.slug);
  checkDomains(errors, fields.domains);
  failIfInvalid(errors);
}

/** Organizations: made, changed and deleted by admins, read by staff; every change with its audit event. */
export function createOrganizationService({ storage, now, publishUser }: OrgDeps): OrganizationService {
  return {
    async create(actor, input) {
      assertCanManageOrganizations(actor);
      const errors: FieldErrors = {};
      checkName(errors, input.name);
      failIfInvalid(errors);
      let slug = input.slug ?? slugOf(input.name);
      const domains = input.domains ?? [];
      checked({ name: input.name, slug, domains });
      const customData = input.customData === undefined ? {} : JSON.parse(customDataText(input.customData));
      // A slug the caller chose is theirs to change on a 409; a derived one gets a suffix instead.
      if (input.slug === undefined && (await storage.organizations.slugExists(slug))) slug = withSuffix(slug);
      const at = iso(now);
      const organization: Organization = {
        id: uuidv7(now()),
        name: input.name,
        slug,
        domains,
        customData,
        createdAt: at,
        updatedAt: at,
      };
      await storage.transaction(async (s) => {
        await s.organizations.insert(organization);
        await recordEvent(s, actor, at, 'organization.created', organization, null, { name: organization.name });
      });
      return organization;
    },

    async list(actor, query = {}) {
      assertCanReadOrganizations(actor);
      const limit = pageSize(query.limit);
      const search = searchTerm(query.search);
      let beforeId: string | undefined;
      if (query.cursor !== undefined) {
        beforeId = decodeCursor(query.cursor, 1)[0]!;
        if (!UUID.test(beforeId)) throw validationError({ cursor: 'Cursor is invalid' }, undefined, 'query');
      }
      const rows = await storage.organizations.page({ search, beforeId, limit: limit + 1 });
      const organizations = rows.slice(0, limit);
      const last = organizations[organizations.length - 1];
      return { organizations, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
    },

    async get(actor, idOrSlug) {
      assertCanReadOrganizations(actor);
      return findOrganization(storage, idOrSlug);
    },

    async update(actor, idOrSlug, changes) {
      assertCanManageOrganizations(actor);
      const current = await findOrganization(storage, idOrSlug);
      const next: Organization = {
        ...current,
        name: changes.name ?? current.name,
        slug: changes.slug ?? current.slug,
        domains: changes.domains ?? current.domains,
        customData:
          changes.customData === undefined ? current.customData : JSON.parse(customDataText(changes.customData)),
      };
      checked(next);
      const changed = (['name', 'slug', 'domains', 'customData'] as const).filter(
        (f) => JSON.stringify(next[f]) !== JSON.stringify(current[f]),
      );
      if (changed.length === 0) return current;
      next.updatedAt = nextUpdatedAt(current.updatedAt, now());
      await storage.transaction(async (s) => {
        if (!(await s.organizations.update(next))) throw notFound('Organization', idOrSlug);
        await recordEvent(s, actor, next.updatedAt, 'organization.updated', next, null, {
          changes: changed.map((f) => WIRE[f]),
        });
      });
      return next;
    },

    async delete(actor, idOrSlug) {
      assertCanManageOrganizations(actor);
      const current = await findOrganization(storage, idOrSlug);
      const members = await storage.transaction(async (s) => {
        const ids = await s.organizations.memberIds(current.id);
        if (!(await s.organizations.delete(current.id))) throw notFound('Organization', idOrSlug);
        await recordEvent(s, actor, iso(now), 'organization.deleted', current, null, {
          name: current.name,
          members: ids.length,
        });
        return ids;
      });
      for (const id of members) publishUser(id);
    },

    async mine(actor) {
      return storage.organizations.ofUser(selfOf(actor));
    },
  };
}
