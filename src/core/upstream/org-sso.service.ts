import { auditEvent, sourceOf } from '../audit.js';
import { AppError, notFound, validationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { assertCanManageIdentityProviders, assertCanReadIdentityProviders } from '../policy.js';
import type { SecretBox } from '../security/secret-box.js';
import type { IdentityProvider, ProviderType, Storage, Stores } from '../storage.js';
import type { Principal } from '../types.js';
import { domainOf } from './org-sign-in.js';
import { type ProviderFields, checkProvider, checkSecret, newProvider } from './provider.rules.js';
import { UUID, assertSameSubjects, secretContext } from './provider.service.js';

/** The kinds an organization's provider may be: a company's OpenID provider (GitHub has no company directory). */
export const ORG_PROVIDER_TYPES = ['oidc', 'google', 'microsoft'] as const;

export interface OrgSsoFields extends ProviderFields {
  enforced?: boolean;
}

export interface OrgSsoService {
  get(actor: Principal, organizationId: string): Promise<IdentityProvider>;
  /** Sets the organization's provider whole (a PUT); an absent client_secret keeps the stored one. */
  put(
    actor: Principal,
    organizationId: string,
    type: string,
    fields: OrgSsoFields,
  ): Promise<{ provider: IdentityProvider; created: boolean }>;
  /** Refused (422) when it would leave a user no way to sign in, unless `force`. */
  delete(actor: Principal, organizationId: string, options?: { force?: boolean }): Promise<void>;
  /** Home realm discovery: the enabled organization provider for this address's domain (only the domain decides). */
  discover(login: string): Promise<IdentityProvider | undefined>;
  /** Whether any organization has an enabled provider (cached: the sign-in page asks on every view). */
  anyConfigured(): Promise<boolean>;
}

/** The fields a change compares (wire names), for the audit event. */
const COMPARED: Array<[keyof IdentityProvider, string]> = [
  ['type', 'type'],
  ['issuer', 'issuer'],
  ['clientId', 'client_id'],
  ['scopes', 'scopes'],
  ['displayName', 'display_name'],
  ['enabled', 'enabled'],
  ['autoCreate', 'auto_create'],
  ['enforced', 'enforced'],
];

/** How long this instance trusts its answer to "has any organization SSO?" (another instance's change shows after it). */
const CONFIGURED_TTL_MS = 5000;

/**
 * Single sign-on per organization: the organization's provider is an upstream
 * identity provider (the same rules, sealing, flow and callback as the
 * deployment's own) tied to the organization, changed by admins and read by
 * staff, each change audited as `organization.sso_changed`.
 */
export function createOrgSsoService(o: {
  storage: Storage;
  box: SecretBox;
  now: () => number;
  /** Told of every change (the flow drops its cached discovery of the provider). */
  changed: (providerId: string) => void;
}): OrgSsoService {
  const { storage } = o;
  const iso = () => new Date(o.now()).toISOString();
  let configured: { value: boolean; until: number } | undefined;
  const touched = (id: string) => {
    configured = undefined;
    o.changed(id);
  };
  const organization = async (id: string) => {
    const org = UUID.test(id) ? await storage.organizations.find(id) : undefined;
    if (!org) throw notFound('Organization', id);
    return org;
  };
  const current = async (organizationId: string) => {
    const found = await storage.organizationSso.providerOf(organizationId);
    if (!found) throw notFound('Single sign-on of organization', organizationId);
    return found.provider;
  };
  const record = (s: Stores, actor: Principal, p: IdentityProvider, action: string, extra: object = {}) =>
    s.audit.record(
      auditEvent(
        sourceOf(actor),
        {
          type: 'organization.sso_changed',
          targetId: null,
          details: { organization_id: p.organizationId, provider_id: p.id, type: p.type, action, ...extra },
        },
        iso(),
      ),
    );

  async function anyConfigured() {
    const at = o.now();
    if (configured && configured.until > at) return configured.value;
    const value = (await storage.organizationSso.countEnabled()) > 0;
    configured = { value, until: at + CONFIGURED_TTL_MS };
    return value;
  }

  return {
    anyConfigured,
    async get(actor, organizationId) {
      assertCanReadIdentityProviders(actor);
      const org = await organization(organizationId);
      return current(org.id);
    },

    async put(actor, organizationId, type, fields) {
      assertCanManageIdentityProviders(actor);
      if (!ORG_PROVIDER_TYPES.includes(type as (typeof ORG_PROVIDER_TYPES)[number]))
        throw validationError({ type: `type must be one of ${ORG_PROVIDER_TYPES.join(', ')}` });
      checkSecret(fields.clientSecret);
      const org = await organization(organizationId);
      const was = (await storage.organizationSso.providerOf(org.id))?.provider;
      const at = iso();
      const base = newProvider(
        type as ProviderType,
        { ...fields, displayName: fields.displayName ?? org.name.slice(0, 60) },
        was?.id ?? uuidv7(o.now()),
        at,
      );
      const next: IdentityProvider = {
        ...base,
        organizationId: org.id,
        enforced: fields.enforced ?? false,
        createdAt: was?.createdAt ?? at,
        hasSecret: fields.clientSecret === undefined ? (was?.hasSecret ?? false) : fields.clientSecret !== null,
      };
      checkProvider(next);
      const sealed =
        fields.clientSecret === undefined || fields.clientSecret === null
          ? fields.clientSecret
          : o.box.seal(fields.clientSecret, secretContext(next.id));
      if (!was) {
        await storage
          .transaction(async (s) => {
            await s.identityProviders.insert(next, sealed ?? null);
            await record(s, actor, next, 'created', { enforced: next.enforced });
          })
          .catch(async (error: unknown) => {
            // Two first PUTs at once: the organization's unique index let one in.
            if (await storage.organizationSso.providerOf(org.id))
              throw new AppError('DUPLICATE_RESOURCE', 'Single sign-on was set at the same time: read it and retry', {
                field: 'organization_id',
              });
            throw error;
          });
        touched(next.id);
        return { provider: next, created: true };
      }
      const changed = COMPARED.filter(([k]) => JSON.stringify(next[k]) !== JSON.stringify(was[k])).map(([, w]) => w);
      if (fields.clientSecret !== undefined) changed.push('client_secret');
      if (changed.length === 0) return { provider: was, created: false };
      await storage.transaction(async (s) => {
        await assertSameSubjects(s, next.id, changed);
        await s.identityProviders.update(next, sealed);
        await record(s, actor, next, 'updated', { fields: changed, enforced: next.enforced });
      });
      touched(next.id);
      return { provider: next, created: false };
    },

    async delete(actor, organizationId, options = {}) {
      assertCanManageIdentityProviders(actor);
      const org = await organization(organizationId);
      const provider = await current(org.id);
      await storage.transaction(async (s) => {
        const stranded = await s.identities.onlyWayAt(provider.id);
        if (stranded > 0 && !options.force)
          throw new AppError(
            'UNPROCESSABLE_ENTITY',
            `Deleting this single sign-on would leave ${stranded} user(s) with no way to sign in: give them another way first, or delete it with force`,
            { reason: 'last_sign_in_method', users: stranded },
          );
        if (!(await s.identityProviders.delete(provider.id))) throw notFound('Single sign-on of organization', org.id);
        await record(s, actor, provider, 'deleted', stranded > 0 ? { stranded } : {});
      });
      touched(provider.id);
    },

    async discover(login) {
      const domain = domainOf(login);
      if (domain === null || !(await anyConfigured())) return undefined;
      return storage.organizationSso.forDomain(domain);
    },
  };
}
