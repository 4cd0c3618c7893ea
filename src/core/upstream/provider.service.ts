import { type AuditType, auditEvent, sourceOf } from '../audit.js';
import { AppError, notFound, validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageIdentityProviders, assertCanReadIdentityProviders } from '../policy.js';
import type { SecretBox } from '../security/secret-box.js';
import type { IdentityProvider, ProviderType, Storage, Stores } from '../storage.js';
import { PROVIDER_TYPES } from '../storage.upstream.js';
import type { Principal } from '../types.js';
import { type ProviderFields, checkProvider, checkSecret, mergeProvider, newProvider } from './provider.rules.js';

/** The context a provider's client secret is sealed in: its row. */
export const secretContext = (id: string): string => `identity_providers:${id}`;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a sign-in button needs, for anyone: enabled providers only. */
export interface PublicProvider {
  id: string;
  type: ProviderType;
  displayName: string;
}

export interface ProviderService {
  create(actor: Principal, type: string, fields: ProviderFields): Promise<IdentityProvider>;
  list(actor: Principal): Promise<IdentityProvider[]>;
  get(actor: Principal, id: string): Promise<IdentityProvider>;
  update(actor: Principal, id: string, fields: ProviderFields): Promise<IdentityProvider>;
  /** Refused (422) when it would leave a user no way to sign in, unless `force`. */
  delete(actor: Principal, id: string, options?: { force?: boolean }): Promise<void>;
  /** The enabled providers' ids, types and names (the sign-in pages' buttons). */
  enabled(): Promise<PublicProvider[]>;
  /** For the flow: the provider and its client secret, opened; undefined when unknown. */
  load(id: string): Promise<{ provider: IdentityProvider; secret: string | null } | undefined>;
  /** The callback to register at the provider. */
  redirectUri(id: string): string;
  /** Told of every change (the flow drops its cached discovery). */
  onChange(listener: (id: string) => void): void;
}

/**
 * Upstream identity providers: made, changed and deleted by signed-in admins,
 * read by staff, each change with its audit event in one transaction. The
 * client secret is sealed with the secret box (USHER_SECRETS_KEY) bound to
 * its row, never answered, logged or audited.
 */
export function createProviderService(o: {
  storage: Storage;
  box: SecretBox;
  now: () => number;
  callbackBase: string;
}): ProviderService {
  const { storage, box } = o;
  const iso = () => new Date(o.now()).toISOString();
  const listeners: Array<(id: string) => void> = [];
  const changed = (id: string) => {
    for (const l of listeners) l(id);
  };
  const record = (s: Stores, actor: Principal, type: AuditType, p: IdentityProvider, extra: object = {}) =>
    s.audit.record(
      auditEvent(
        sourceOf(actor),
        { type, targetId: null, details: { provider_id: p.id, type: p.type, display_name: p.displayName, ...extra } },
        iso(),
      ),
    );
  const seal = (id: string, secret: string | null | undefined) =>
    secret === undefined ? undefined : secret === null ? null : box.seal(secret, secretContext(id));
  const find = async (id: string) => {
    const found = UUID.test(id) ? await storage.identityProviders.find(id) : undefined;
    // An organization's provider is managed under its organization (/organizations/{id}/sso).
    if (!found || found.provider.organizationId !== null) throw notFound('Identity provider', id);
    return found;
  };

  return {
    async create(actor, type, fields) {
      assertCanManageIdentityProviders(actor);
      if (!PROVIDER_TYPES.includes(type as ProviderType))
        throw validationError({ type: `type must be one of ${PROVIDER_TYPES.join(', ')}` });
      checkSecret(fields.clientSecret);
      const provider = newProvider(type as ProviderType, fields, uuidv7(o.now()), iso());
      checkProvider(provider);
      await storage.transaction(async (s) => {
        await s.identityProviders.insert(provider, seal(provider.id, fields.clientSecret) ?? null);
        await record(s, actor, 'identity_provider.created', provider);
      });
      return provider;
    },
    async list(actor) {
      assertCanReadIdentityProviders(actor);
      return storage.identityProviders.list();
    },
    async get(actor, id) {
      assertCanReadIdentityProviders(actor);
      return (await find(id)).provider;
    },
    async update(actor, id, fields) {
      assertCanManageIdentityProviders(actor);
      checkSecret(fields.clientSecret);
      const { provider } = await find(id);
      const { next, changed: fieldsChanged } = mergeProvider(provider, fields, iso());
      checkProvider(next);
      if (fieldsChanged.length === 0) return provider;
      await storage.transaction(async (s) => {
        await assertSameSubjects(s, id, fieldsChanged);
        await s.identityProviders.update(next, seal(id, fields.clientSecret));
        await record(s, actor, 'identity_provider.updated', next, { fields: fieldsChanged });
      });
      changed(id);
      return next;
    },
    async delete(actor, id, options = {}) {
      assertCanManageIdentityProviders(actor);
      const { provider } = await find(id);
      await storage.transaction(async (s) => {
        const stranded = await s.identities.onlyWayAt(id);
        if (stranded > 0 && !options.force)
          throw new AppError(
            'UNPROCESSABLE_ENTITY',
            `Deleting this provider would leave ${stranded} user(s) with no way to sign in: give them another way first, or delete it with force`,
            { reason: 'last_sign_in_method', users: stranded },
          );
        if (!(await s.identityProviders.delete(id))) throw notFound('Identity provider', id);
        await record(s, actor, 'identity_provider.deleted', provider, stranded > 0 ? { stranded } : {});
      });
      changed(id);
    },
    async enabled() {
      // The deployment's own providers only: an organization's is reached by its email domains.
      const all = await storage.identityProviders.list();
      return all.filter((p) => p.enabled).map((p) => ({ id: p.id, type: p.type, displayName: p.displayName }));
    },
    async load(id) {
      const found = UUID.test(id) ? await storage.identityProviders.find(id) : undefined;
      if (!found) return undefined;
      return {
        provider: found.provider,
        secret: found.secret === null ? null : box.open(found.secret, secretContext(id)),
      };
    },
    redirectUri: (id) => `${o.callbackBase}/auth/callback/${id}`,
    onChange: (listener) => void listeners.push(listener),
  };
}

/** What says who a subject is: subjects are unique per issuer only (github.com's ids and an Enterprise's collide). */
const SUBJECT_SPACE = ['issuer', 'authorization_url', 'token_url', 'api_url'];

/** A provider's subject space does not move under its linked identities: they would name other people (422). */
export async function assertSameSubjects(s: Stores, id: string, changed: string[]): Promise<void> {
  const field = changed.find((f) => SUBJECT_SPACE.includes(f));
  if (!field) return;
  const linked = await s.identities.countAt(id);
  if (linked > 0)
    throw new AppError(
      'UNPROCESSABLE_ENTITY',
      `${field} cannot change while ${linked} account(s) are linked to this provider: its subjects would name other people. Add a new provider instead`,
      { reason: 'identities_linked', field, linked },
    );
}

/** At start, with USHER_SECRETS_KEY set: the providers' client secrets stored plain (before the key) are sealed. */
export async function sealProviderSecrets(storage: Storage, box: SecretBox): Promise<number> {
  if (!box.sealing) return 0;
  let sealed = 0;
  for (const { id, secret } of await storage.identityProviders.secrets()) {
    if (box.isSealed(secret)) continue;
    await storage.identityProviders.reseal(id, secret, box.seal(secret, secretContext(id)));
    sealed++;
  }
  return sealed;
}
