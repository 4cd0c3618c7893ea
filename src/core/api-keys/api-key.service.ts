import { auditEvent, sourceOf } from '../audit.js';
import { StateCache } from '../state-cache.js';
import { type FieldErrors, forbidden, notFound, unauthenticated } from '../errors.js';
import type { EventBus } from '../events.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageApiKeys } from '../policy.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import type { Storage } from '../storage.js';
import { type ApiKey, ROLE_RANK, type Principal, type Role } from '../types.js';
import { checkRole, checkText, failIfInvalid } from '../users/user.rules.js';

/** Visible on every key so a leaked one is recognisable in logs and by secret scanners. */
export const API_KEY_PREFIX = 'usk_';
export const API_KEY_NAME_MAX = 100;
// last_used_at is written at most this often per key, so a busy key costs no write per request.
const TOUCH_EVERY_MS = 60_000;

export interface NewApiKey {
  name: string;
  role?: Role;
  expiresAt?: string;
}

export interface ApiKeyService {
  create(actor: Principal, input: NewApiKey): Promise<{ key: ApiKey; secret: string }>;
  list(actor: Principal): Promise<ApiKey[]>;
  revoke(actor: Principal, id: string): Promise<void>;
  /** The principal behind an `X-API-Key` value: the key, acting through its role only. */
  authenticate(secret: string): Promise<Principal>;
}

/** API keys: made, listed and revoked by signed-in admins; checked on every request that carries one. */
export function createApiKeyService(storage: Storage, bus: EventBus, now: () => number): ApiKeyService {
  const iso = (ms = now()) => new Date(ms).toISOString();
  const cache = new StateCache((hash) => storage.apiKeys.stateByHash(hash), now);
  // Entries are keyed by the key's hash; events name the key or its creator.
  cache.listen(bus, ['api_key', 'user'], (k, e) => (e.kind === 'api_key' ? k.id === e.id : k.creatorId === e.id));
  const touched = new Map<string, number>();

  return {
    async create(actor, input) {
      const creatorId = assertCanManageApiKeys(actor);
      const errors: FieldErrors = {};
      const name = input.name.trim();
      checkText(errors, 'name', 'Name', name, 1, API_KEY_NAME_MAX);
      if (input.role !== undefined) checkRole(errors, input.role);
      let expiresAt: string | null = null;
      if (input.expiresAt !== undefined) {
        const ms = Date.parse(input.expiresAt);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(input.expiresAt) || Number.isNaN(ms))
          errors.expires_at = 'expires_at must be an ISO 8601 date-time';
        else if (ms <= now()) errors.expires_at = 'expires_at must be in the future';
        else expiresAt = iso(ms);
      }
      failIfInvalid(errors);
      const role = input.role ?? actor.role;
      if (ROLE_RANK[role] > ROLE_RANK[actor.role]) throw forbidden('A key cannot have a higher role than its creator');
      const secret = newSecret(API_KEY_PREFIX);
      const key: ApiKey = {
        id: uuidv7(),
        name,
        prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
        role,
        createdBy: creatorId,
        createdAt: iso(),
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
      };
      await storage.transaction(async (s) => {
        await s.apiKeys.insert(key, hashSecret(secret));
        await s.audit.record(
          auditEvent(
            sourceOf(actor),
            {
              type: 'api_key.created',
              targetId: creatorId,
              details: { key_id: key.id, name: key.name, role: key.role },
            },
            key.createdAt,
          ),
        );
      });
      return { key, secret };
    },

    async list(actor) {
      assertCanManageApiKeys(actor);
      return storage.apiKeys.list();
    },

    async revoke(actor, id) {
      assertCanManageApiKeys(actor);
      const key = await storage.apiKeys.find(id);
      if (!key) throw notFound('API key', id);
      // What the key made is named in the trail, so whoever revokes a leaked key can review it.
      const made = await storage.users.createdByKey(id, 100);
      await storage.transaction(async (s) => {
        await s.apiKeys.revoke(id, iso());
        const details = { key_id: id, name: key.name, created_users: made.ids, created_users_count: made.count };
        await s.audit.record(
          auditEvent(sourceOf(actor), { type: 'api_key.revoked', targetId: key.createdBy, details }, iso()),
        );
      });
      bus.publish({ kind: 'api_key', id });
    },

    async authenticate(secret) {
      const state =
        secret.startsWith(API_KEY_PREFIX) && secret.length < 200 ? await cache.get(hashSecret(secret)) : undefined;
      const at = now();
      if (
        !state ||
        state.revoked ||
        state.creatorDeleted ||
        state.creatorStatus !== 'active' ||
        (state.expiresAt !== null && state.expiresAt <= iso(at))
      ) {
        throw unauthenticated('Invalid or expired API key');
      }
      const last = touched.get(state.id) ?? (state.lastUsedAt ? Date.parse(state.lastUsedAt) : 0);
      if (at - last >= TOUCH_EVERY_MS) {
        touched.set(state.id, at);
        await storage.apiKeys.touch(state.id, iso(at));
      }
      // Never above the creator as the creator is now: a demoted admin's keys are demoted too.
      const role = ROLE_RANK[state.keyRole] <= ROLE_RANK[state.creatorRole] ? state.keyRole : state.creatorRole;
      // A key has no self (userId null): it acts only through its role, never as its creator's account.
      return { userId: null, role, sessionId: null, apiKeyId: state.id, authAt: null };
    },
  };
}
