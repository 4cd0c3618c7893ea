import { useEffect, useRef, useState } from 'preact/hooks';
import type { Organization, OrganizationSso, PutOrganizationSsoInput } from 'user-management-api-client';
import { Alert } from '../../components.js';
import { FormActions } from '../../lists.js';

type SsoType = OrganizationSso['type'];

const TYPES: Record<SsoType, string> = {
  oidc: 'OpenID provider (Okta, Entra ID tenant, Keycloak…)',
  google: 'Google Workspace',
  microsoft: 'Microsoft (Entra ID)',
};

const ISSUER_HINT: Record<SsoType, string> = {
  oidc: 'The issuer URL, as in its /.well-known/openid-configuration: https://acme.okta.com, https://login.microsoftonline.com/<tenant id>/v2.0…',
  google: 'Default: https://accounts.google.com.',
  microsoft:
    'Default: any Microsoft account. For the company’s tenant only: https://login.microsoftonline.com/<tenant id>/v2.0.',
};

/**
 * Setting an organization's single sign-on whole (PUT): the client secret is write-only, so blank keeps the stored
 * one; enforced keeps the organization's members from signing in with a password.
 */
export function SsoForm({
  sso,
  organization,
  busy,
  error,
  onCancel,
  onSave,
}: {
  sso: OrganizationSso | null;
  organization: Organization;
  busy: boolean;
  error: string;
  onCancel: () => void;
  onSave: (input: PutOrganizationSsoInput) => void;
}) {
  const first = useRef<HTMLSelectElement>(null);
  const [type, setType] = useState<SsoType>(sso?.type ?? 'oidc');
  useEffect(() => first.current?.focus(), []);
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const scopes = text('scopes')
      .split(/[\s,]+/)
      .filter(Boolean);
    onSave({
      type,
      client_id: text('client_id'),
      ...(text('issuer') === '' ? {} : { issuer: text('issuer') }),
      ...(text('client_secret') === '' ? {} : { client_secret: text('client_secret') }),
      ...(text('display_name') === '' ? {} : { display_name: text('display_name') }),
      ...(scopes.length > 0 ? { scopes } : {}),
      enabled: form.get('enabled') === 'on',
      auto_create: form.get('auto_create') === 'on',
      enforced: form.get('enforced') === 'on',
    });
  };
  return (
    <form onSubmit={submit} class="grid-form" aria-label="Single sign-on settings">
      <div class="field">
        <label for="sso-type">Provider</label>
        <select id="sso-type" ref={first} value={type} onChange={(e) => setType(e.currentTarget.value as SsoType)}>
          {(Object.keys(TYPES) as SsoType[]).map((t) => (
            <option key={t} value={t}>
              {TYPES[t]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="sso-name">Name on the sign-in page (optional)</label>
        <input
          id="sso-name"
          name="display_name"
          maxLength={60}
          placeholder={organization.name}
          defaultValue={sso?.display_name ?? ''}
        />
      </div>
      <div class="field wide">
        <label for="sso-issuer">Issuer{type === 'oidc' ? '' : ' (optional)'}</label>
        <input
          id="sso-issuer"
          name="issuer"
          class="mono"
          required={type === 'oidc'}
          maxLength={500}
          defaultValue={sso?.issuer ?? ''}
          aria-describedby="sso-issuer-hint"
        />
        <span id="sso-issuer-hint" class="hint">
          {ISSUER_HINT[type]}
        </span>
      </div>
      <div class="field">
        <label for="sso-client-id">Client ID</label>
        <input id="sso-client-id" name="client_id" required maxLength={200} defaultValue={sso?.client_id ?? ''} />
      </div>
      <div class="field">
        <label for="sso-secret">Client secret{sso?.has_client_secret ? ' (blank keeps it)' : ''}</label>
        <input id="sso-secret" name="client_secret" type="password" autoComplete="off" maxLength={500} />
      </div>
      <div class="field wide">
        <label for="sso-scopes">Scopes (optional)</label>
        <input
          id="sso-scopes"
          name="scopes"
          placeholder="openid profile email"
          defaultValue={sso?.scopes.join(' ') ?? ''}
        />
      </div>
      <div class="field inline wide">
        <input id="sso-enabled" name="enabled" type="checkbox" defaultChecked={sso?.enabled ?? true} />
        <label for="sso-enabled">Enabled: addresses at the organization's domains sign in through it</label>
      </div>
      <div class="field inline wide">
        <input id="sso-auto-create" name="auto_create" type="checkbox" defaultChecked={sso?.auto_create ?? true} />
        <label for="sso-auto-create">A first sign-in creates the user</label>
      </div>
      <div class="field inline wide">
        <input id="sso-enforced" name="enforced" type="checkbox" defaultChecked={sso?.enforced ?? false} />
        <label for="sso-enforced">Enforced: members may not sign in with a password (Usher's admins may)</label>
      </div>
      {!sso && (
        <p class="hint wide">
          Saving shows the redirect URI to register at the provider (with the organization's domains, set above).
        </p>
      )}
      <FormActions submit="Save single sign-on" busy={busy} onCancel={onCancel} />
      <Alert>{error}</Alert>
    </form>
  );
}
