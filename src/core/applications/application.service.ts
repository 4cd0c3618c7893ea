import { timingSafeEqual } from 'node:crypto';
import { type AuditType, auditEvent, sourceOf } from '../audit.js';
import { AppError, notFound, validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageApplications, assertCanReadApplications } from '../policy.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import type { Storage, Stores } from '../storage.js';
import type { Principal } from '../types.js';
import { LIMITS, checkSearch, failIfInvalid, nextUpdatedAt } from '../users/user.rules.js';
import { type ApplicationFields, changedFields, checkApplication, newFields } from './application.rules.js';
import {
  APPLICATION_TYPES,
  type Application,
  type ApplicationChanges,
  type ApplicationListQuery,
  type ApplicationPage,
  type ApplicationWithSecret,
  type NewApplication,
  isConfidential,
} from './application.types.js';

/** Visible on every client id and secret, so each is recognisable (in logs, by secret scanners). */
export const CLIENT_ID_PREFIX = 'app_';
export const CLIENT_SECRET_PREFIX = 'usher_cs_';

export interface ApplicationService {
  /** The secret (web and machine apps; null for public clients) is in this answer only. */
  create(actor: Principal, input: NewApplication): Promise<{ application: Application; secret: string | null }>;
  /** Newest first, a page at a time; `cursor` is the previous page's `nextCursor`. */
  list(actor: Principal, query?: ApplicationListQuery): Promise<ApplicationPage>;
  /** By id, or by client id. */
  get(actor: Principal, idOrClientId: string): Promise<Application>;
  /** PATCH: absent fields stay; the whole result is checked again. */
  update(actor: Principal, idOrClientId: string, changes: ApplicationChanges): Promise<Application>;
  /** Gone at once, for good: its client id and secret stop working. */
  delete(actor: Principal, idOrClientId: string): Promise<void>;
  /** A new secret for a confidential client; the old one stops working at once. */
  rotateSecret(actor: Principal, idOrClientId: string): Promise<{ application: Application; secret: string }>;
  /** For the provider: the client with its secret's hash (never presented), or undefined. */
  findByClientId(clientId: string): Promise<ApplicationWithSecret | undefined>;
  /** For the provider: whether `presented` is the client's current secret (hashes compared in constant time). */
  checkSecret(clientId: string, presented: string): Promise<boolean>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLIENT_ID = /^app_[A-Za-z0-9_-]{32}$/;

// Opaque to clients: the last application's id (UUIDv7, so newest first is id order).
const encodeCursor = (id: string): string => Buffer.from(id).toString('base64url');
function decodeCursor(raw: string): string {
  const id = Buffer.from(raw, 'base64url').toString('utf8');
  if (!UUID.test(id)) throw validationError({ cursor: 'Cursor is invalid' }, undefined, 'query');
  return id;
}

const FIELDS: Array<keyof ApplicationFields> = [
  'name',
  'redirectUris',
  'postLogoutRedirectUris',
  'scopes',
  'firstParty',
  'logoUri',
];
const WIRE: Record<keyof ApplicationFields, string> = {
  name: 'name',
  redirectUris: 'redirect_uris',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  scopes: 'scopes',
  firstParty: 'first_party',
  logoUri: 'logo_uri',
};

const withoutSecret = ({ secretHash: _, ...application }: ApplicationWithSecret): Application => application;

/**
 * Applications: made, changed, deleted and given new secrets by signed-in
 * admins, read by staff; each change written with its audit event in one
 * transaction. The provider reads them through `findByClientId` and `checkSecret`.
 */
export function createApplicationService(storage: Storage, now: () => number): ApplicationService {
  const iso = () => new Date(now()).toISOString();

  const record = (s: Stores, actor: Principal, type: AuditType, a: Application, extra: object = {}) =>
    s.audit.record(
      auditEvent(
        sourceOf(actor),
        {
          type,
          targetId: null,
          details: { application_id: a.id, client_id: a.clientId, name: a.name, ...extra },
        },
        iso(),
      ),
    );

  const findByClientId = async (clientId: string) =>
    CLIENT_ID.test(clientId) ? storage.applications.findByClientId(clientId) : undefined;

  const find = async (idOrClientId: string): Promise<Application> => {
    const found = CLIENT_ID.test(idOrClientId)
      ? await findByClientId(idOrClientId).then((a) => a && withoutSecret(a))
      : UUID.test(idOrClientId)
        ? await storage.applications.find(idOrClientId)
        : undefined;
    if (!found) throw notFound('Application', idOrClientId);
    return found;
  };

  return {
    async create(actor, input) {
      assertCanManageApplications(actor);
      if (!APPLICATION_TYPES.includes(input.type))
        throw validationError({ type: `Type must be one of ${APPLICATION_TYPES.join(', ')}` });
      const fields = newFields(input);
      failIfInvalid(checkApplication(input.type, fields));
      const at = iso();
      const application: Application = {
        id: uuidv7(),
        type: input.type,
        clientId: newSecret(CLIENT_ID_PREFIX).slice(0, CLIENT_ID_PREFIX.length + 32),
        ...fields,
        createdAt: at,
        updatedAt: at,
      };
      const secret = isConfidential(input.type) ? newSecret(CLIENT_SECRET_PREFIX) : null;
      await storage.transaction(async (s) => {
        await s.applications.insert(application, secret === null ? null : hashSecret(secret));
        await record(s, actor, 'application.created', application, { type: application.type });
      });
      return { application, secret };
    },

    async list(actor, query = {}) {
      assertCanReadApplications(actor);
      const limit = query.limit ?? LIMITS.pageSizeDefault;
      if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.pageSizeMax)
        throw validationError({ limit: `limit must be 1-${LIMITS.pageSizeMax}` }, undefined, 'query');
      const problem = query.search === undefined ? undefined : checkSearch(query.search);
      if (problem) throw validationError({ search: problem }, undefined, 'query');
      const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const rows = await storage.applications.page({ search: query.search?.trim(), beforeId, limit: limit + 1 });
      const applications = rows.slice(0, limit);
      const last = applications[applications.length - 1];
      return { applications, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
    },

    async get(actor, idOrClientId) {
      assertCanReadApplications(actor);
      return find(idOrClientId);
    },

    async update(actor, idOrClientId, changes) {
      assertCanManageApplications(actor);
      const current = await find(idOrClientId);
      const fields = changedFields(current, changes);
      failIfInvalid(checkApplication(current.type, fields));
      const changed = FIELDS.filter((f) => JSON.stringify(fields[f]) !== JSON.stringify(current[f]));
      if (changed.length === 0) return current;
      const next: Application = { ...current, ...fields, updatedAt: nextUpdatedAt(current.updatedAt, now()) };
      await storage.transaction(async (s) => {
        if (!(await s.applications.update(next))) throw notFound('Application', idOrClientId);
        await record(s, actor, 'application.updated', next, { changes: changed.map((f) => WIRE[f]) });
      });
      return next;
    },

    async delete(actor, idOrClientId) {
      assertCanManageApplications(actor);
      const current = await find(idOrClientId);
      await storage.transaction(async (s) => {
        if (!(await s.applications.delete(current.id))) throw notFound('Application', idOrClientId);
        await record(s, actor, 'application.deleted', current, { type: current.type });
      });
    },

    async rotateSecret(actor, idOrClientId) {
      assertCanManageApplications(actor);
      const current = await find(idOrClientId);
      if (!isConfidential(current.type))
        throw new AppError(
          'UNPROCESSABLE_ENTITY',
          `A ${current.type} application is a public client (PKCE) and has no secret to rotate`,
          { type: current.type },
        );
      const secret = newSecret(CLIENT_SECRET_PREFIX);
      const application = { ...current, updatedAt: nextUpdatedAt(current.updatedAt, now()) };
      await storage.transaction(async (s) => {
        if (!(await s.applications.setSecretHash(current.id, hashSecret(secret), application.updatedAt)))
          throw notFound('Application', idOrClientId);
        await record(s, actor, 'application.secret_rotated', application);
      });
      return { application, secret };
    },

    findByClientId,

    async checkSecret(clientId, presented) {
      const application = await findByClientId(clientId);
      if (!application?.secretHash || presented.length > 200) return false;
      const expected = Buffer.from(application.secretHash);
      const given = Buffer.from(hashSecret(presented));
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
