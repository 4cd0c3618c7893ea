import type { Database } from '../../db/database.js';
import type { ApiKeyAuth } from '../auth/api-key-auth.js';
import { StateCache } from '../auth/auth-cache.js';
import { hashSecret, newSecret } from '../auth/secrets.js';
import { forbidden, notFound, unauthenticated, validationError, type FieldErrors } from '../errors.js';
import type { EventBus } from '../events.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageApiKeys } from '../policy.js';
import { ROLES, ROLE_RANK, type Principal, type Role } from '../types.js';
import * as repo from './api-key.repository.js';

/** Visible on every key so a leaked one is recognisable in logs and by secret scanners. */
export const API_KEY_PREFIX = 'usk_';
// last_used_at is written at most this often per key, so a busy key costs no write per request.
const TOUCH_EVERY_MS = 60_000;

export interface NewApiKey {
  name: string;
  role?: Role;
  expiresAt?: string;
}

export interface ApiKeyService extends ApiKeyAuth {
  create(actor: Principal, input: NewApiKey): Promise<{ key: repo.ApiKey; secret: string }>;
  list(actor: Principal): Promise<repo.ApiKey[]>;
  revoke(actor: Principal, id: string): Promise<void>;
}

export function createApiKeyService(database: Database, bus: EventBus, now: () => number): ApiKeyService {
  const db = database.db;
  const iso = (ms = now()) => new Date(ms).toISOString();
  const cache = new StateCache(repo.apiKeyStateReader(database), now);
  // Entries are keyed by the key's hash; events name the key or its creator.
  cache.listen(bus, ['api_key', 'user'], (k, e) => (e.kind === 'api_key' ? k.id === e.id : k.userId === e.id));
  const touched = new Map<string, number>();

  return {
    async create(actor, input) {
      const creatorId = assertCanManageApiKeys(actor);
      const errors: FieldErrors = {};
      const name = input.name.trim();
      if (name.length < 1 || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) errors.name = 'Name must be 1-100 printable characters';
      if (input.role !== undefined && !ROLES.includes(input.role)) errors.role = `Role must be one of ${ROLES.join(', ')}`;
      let expiresAt: string | null = null;
      if (input.expiresAt !== undefined) {
        const ms = Date.parse(input.expiresAt);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(input.expiresAt) || Number.isNaN(ms)) errors.expires_at = 'expires_at must be an ISO 8601 date-time';
        else if (ms <= now()) errors.expires_at = 'expires_at must be in the future';
        else expiresAt = iso(ms);
      }
      if (Object.keys(errors).length > 0) throw validationError(errors);
      const role = input.role ?? actor.role;
      if (ROLE_RANK[role] > ROLE_RANK[actor.role]) throw forbidden('A key cannot have a higher role than its creator');
      const secret = newSecret(API_KEY_PREFIX);
      const row = {
        id: uuidv7(),
        name,
        key_hash: hashSecret(secret),
        prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
        role,
        created_by: creatorId,
        created_at: iso(),
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
      };
      await repo.insertApiKey(db, row);
      return { key: repo.toApiKey(row), secret };
    },

    async list(actor) {
      assertCanManageApiKeys(actor);
      return repo.listApiKeys(db);
    },

    async revoke(actor, id) {
      assertCanManageApiKeys(actor);
      const key = await repo.findApiKey(db, id);
      if (!key) throw notFound('API key', id);
      await repo.revokeApiKey(db, id, iso());
      bus.publish({ kind: 'api_key', id });
    },

    async authenticate(secret) {
      const state = secret.startsWith(API_KEY_PREFIX) && secret.length < 200 ? await cache.get(hashSecret(secret)) : undefined;
      const at = now();
      if (!state || state.revoked || state.creatorDeleted || state.creatorStatus !== 'active' || (state.expiresAt !== null && state.expiresAt <= iso(at))) {
        throw unauthenticated('Invalid or expired API key');
      }
      const last = touched.get(state.id) ?? (state.lastUsedAt ? Date.parse(state.lastUsedAt) : 0);
      if (at - last >= TOUCH_EVERY_MS) {
        touched.set(state.id, at);
        await repo.touchApiKey(db, state.id, iso(at));
      }
      // Never above the creator as the creator is now: a demoted admin's keys are demoted too.
      const role = ROLE_RANK[state.keyRole] <= ROLE_RANK[state.creatorRole] ? state.keyRole : state.creatorRole;
      // A key has no self (userId null): it acts only through its role, never as its creator's account.
      return { userId: null, role, sessionId: null, apiKeyId: state.id, authAt: null };
    },
  };
}
