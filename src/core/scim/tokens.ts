import { auditEvent, sourceOf } from '../audit.js';
import { AppError, type FieldErrors, notFound, unauthenticated } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageScimTokens, assertCanReadScimTokens } from '../policy.js';
import { addressOf } from '../rate-limit/address.js';
import { type RateLimitStore, checkLimits } from '../rate-limit/rate-limit.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import type { ScimToken, Storage } from '../storage.js';
import type { ClientInfo, Principal } from '../types.js';
import { checkText, failIfInvalid } from '../users/user.rules.js';

/** Visible on every token, so a leaked one is recognisable in logs and by secret scanners. */
export const SCIM_TOKEN_PREFIX = 'scim_';
const NAME_MAX = 100;
const DESCRIPTION_MAX = 500;
// last_used_at is written at most this often per token.
const TOUCH_EVERY_MS = 60_000;

/** Who a SCIM request acts for: one organization, through one token, from one client. */
export interface ScimScope {
  organizationId: string;
  tokenId: string;
  client: ClientInfo;
}

export interface ScimLimits {
  enabled: boolean;
  /** Requests per minute per token, and failed authentications per minute per address. */
  perMinute: number;
  failuresPerMinute: number;
}

export interface ScimTokenService {
  create(
    actor: Principal,
    organizationId: string,
    input: { name: string; description?: string },
  ): Promise<{ token: ScimToken; secret: string }>;
  list(actor: Principal, organizationId: string): Promise<ScimToken[]>;
  revoke(actor: Principal, organizationId: string, id: string): Promise<void>;
  /** The scope of a bearer token, or 401 (and 429 past the limits). */
  authenticate(secret: string | undefined, client: ClientInfo): Promise<ScimScope>;
}

export function createScimTokens(deps: {
  storage: Storage;
  now: () => number;
  counters: RateLimitStore;
  limits: ScimLimits;
}): ScimTokenService {
  const { storage, now, counters, limits } = deps;
  const iso = () => new Date(now()).toISOString();
  const touched = new Map<string, number>();

  async function organization(organizationId: string): Promise<void> {
    if (!(await storage.organizations.find(organizationId))) throw notFound('Organization', organizationId);
  }
  async function limit(key: string, perMinute: number): Promise<void> {
    if (!limits.enabled) return;
    const verdict = await checkLimits(counters, [{ key, limit: perMinute, windowMs: 60_000 }], now());
    if (!verdict.allowed) throw new AppError('RATE_LIMIT_EXCEEDED', undefined, { retry_after: verdict.retryAfter });
  }

  return {
    async create(actor, organizationId, input) {
      assertCanManageScimTokens(actor);
      const errors: FieldErrors = {};
      const name = input.name.trim();
      checkText(errors, 'name', 'Name', name, 1, NAME_MAX);
      if (input.description !== undefined)
        checkText(errors, 'description', 'Description', input.description, 0, DESCRIPTION_MAX, true);
      failIfInvalid(errors);
      await organization(organizationId);
      const secret = newSecret(SCIM_TOKEN_PREFIX);
      const token: ScimToken = {
        id: uuidv7(),
        organizationId,
        name,
        description: input.description ?? null,
        prefix: secret.slice(0, SCIM_TOKEN_PREFIX.length + 6),
        createdBy: actor.userId ?? actor.apiKeyId,
        createdAt: iso(),
        lastUsedAt: null,
        revokedAt: null,
      };
      await storage.transaction(async (s) => {
        await s.scim.insertToken(token, hashSecret(secret));
        const details = { organization_id: organizationId, token_id: token.id, name };
        await s.audit.record(
          auditEvent(sourceOf(actor), { type: 'scim_token.created', targetId: null, details }, token.createdAt),
        );
      });
      return { token, secret };
    },

    async list(actor, organizationId) {
      assertCanReadScimTokens(actor);
      await organization(organizationId);
      return storage.scim.tokens(organizationId);
    },

    async revoke(actor, organizationId, id) {
      assertCanManageScimTokens(actor);
      const token = await storage.scim.token(organizationId, id);
      if (!token || token.revokedAt !== null) throw notFound('SCIM token', id);
      const at = iso();
      await storage.transaction(async (s) => {
        await s.scim.revokeToken(id, at);
        const details = { organization_id: organizationId, token_id: id, name: token.name };
        await s.audit.record(auditEvent(sourceOf(actor), { type: 'scim_token.revoked', targetId: null, details }, at));
      });
    },

    async authenticate(secret, client) {
      // The hash is looked up by index: the secret itself is never compared, so no timing says how much of it matched.
      const token =
        secret?.startsWith(SCIM_TOKEN_PREFIX) && secret.length < 200
          ? await storage.scim.tokenByHash(hashSecret(secret))
          : undefined;
      if (!token || token.revokedAt !== null) {
        await limit(`rl:scim-fail:${addressOf(client.ip)}`, limits.failuresPerMinute);
        throw unauthenticated('A valid SCIM bearer token is required');
      }
      await limit(`rl:scim:${token.id}`, limits.perMinute);
      const at = now();
      if ((touched.get(token.id) ?? 0) + TOUCH_EVERY_MS <= at) {
        touched.set(token.id, at);
        await storage.scim.touchToken(token.id, new Date(at).toISOString());
      }
      return { organizationId: token.organizationId, tokenId: token.id, client };
    },
  };
}
