import { useEffect, useRef, useState } from 'preact/hooks';
import type { IdentityProvider } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert } from '../../components.js';
import { FormActions } from '../../lists.js';
import { useAction } from '../../hooks.js';

type ProviderType = IdentityProvider['type'];

export const PROVIDER_LABELS: Record<ProviderType, string> = {
  oidc: 'OpenID provider (by its issuer)',
  google: 'Google',
  microsoft: 'Microsoft (Entra ID)',
  github: 'GitHub',
};

const ISSUER_HINT: Record<ProviderType, string> = {
  oidc: 'The issuer URL: https://login.example.com/realms/staff for Keycloak, your Okta domain, another Usher…',
  google: 'Default: https://accounts.google.com.',
  microsoft:
    'Default: any Microsoft account (…/common/v2.0). For one tenant: https://login.microsoftonline.com/<tenant id>/v2.0.',
  github: '',
};

/**
 * Adding (`provider` null) or editing an upstream identity provider. The client secret is write-only: blank on edit
 * keeps the stored one.
 */
export function ProviderForm({
  provider,
  onCancel,
  onSaved,
}: {
  provider: IdentityProvider | null;
  onCancel: () => void;
  onSaved: (saved: IdentityProvider) => void;
}) {
  const action = useAction();
  const first = useRef<HTMLSelectElement & HTMLInputElement>(null);
  const [type, setType] = useState<ProviderType>(provider?.type ?? 'google');
  useEffect(() => first.current?.focus(), []);
  const github = type === 'github';
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const optional = (name: string) => (text(name) === '' ? {} : { [name]: text(name) });
    const scopes = text('scopes').split(/\s+/).filter(Boolean);
    const body = {
      client_id: text('client_id'),
      ...optional('client_secret'),
      ...optional('display_name'),
      ...(github
        ? { ...optional('authorization_url'), ...optional('token_url'), ...optional('api_url') }
        : optional('issuer')),
      ...(scopes.length > 0 ? { scopes } : {}),
      enabled: form.get('enabled') === 'on',
      auto_create: form.get('auto_create') === 'on',
    };
    void action.run(async () => {
      onSaved(
        provider
          ? await client.identityProviders.update(provider.id, body)
          : await client.identityProviders.create({ type, ...body }),
      );
    });
  };
  const title = provider ? `Edit ${provider.display_name}` : 'New identity provider';
  return (
    <section class="card" aria-labelledby="idp-form-title">
      <h2 id="idp-form-title">{title}</h2>
      <form onSubmit={submit} class="grid-form">
        {!provider && (
          <div class="field">
            <label for="idp-type">Type</label>
            <select
              id="idp-type"
              ref={first}
              value={type}
              onChange={(e) => setType(e.currentTarget.value as ProviderType)}
            >
              {(Object.keys(PROVIDER_LABELS) as ProviderType[]).map((t) => (
                <option value={t}>{PROVIDER_LABELS[t]}</option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="idp-name">Button name (optional)</label>
          <input id="idp-name" name="display_name" maxLength={60} defaultValue={provider?.display_name ?? ''} />
        </div>
        {!github && (
          <div class="field wide">
            <label for="idp-issuer">Issuer{type === 'oidc' ? '' : ' (optional)'}</label>
            <input
              id="idp-issuer"
              name="issuer"
              class="mono"
              required={type === 'oidc' && !provider}
              maxLength={500}
              defaultValue={provider?.issuer ?? ''}
              aria-describedby="idp-issuer-hint"
            />
            <span id="idp-issuer-hint" class="hint">
              {ISSUER_HINT[type]}
            </span>
          </div>
        )}
        <div class="field">
          <label for="idp-client-id">Client ID</label>
          <input
            id="idp-client-id"
            name="client_id"
            required
            maxLength={200}
            defaultValue={provider?.client_id ?? ''}
          />
        </div>
        <div class="field">
          <label for="idp-secret">Client secret{provider ? ' (blank keeps it)' : ''}</label>
          <input id="idp-secret" name="client_secret" type="password" autoComplete="off" maxLength={500} />
        </div>
        {github &&
          (['authorization_url', 'token_url', 'api_url'] as const).map((name) => (
            <div class="field wide" key={name}>
              <label for={`idp-${name}`}>
                {name.replace('_url', ' URL').replace('_', ' ')} (optional: GitHub Enterprise)
              </label>
              <input
                id={`idp-${name}`}
                name={name}
                class="mono"
                maxLength={500}
                defaultValue={provider?.[name] ?? ''}
              />
            </div>
          ))}
        <div class="field">
          <label for="idp-scopes">Scopes (optional)</label>
          <input id="idp-scopes" name="scopes" defaultValue={provider?.scopes.join(' ') ?? ''} />
        </div>
        <div class="field inline">
          <input id="idp-enabled" name="enabled" type="checkbox" defaultChecked={provider?.enabled ?? true} />
          <label for="idp-enabled">Enabled (a button on the sign-in pages)</label>
        </div>
        <div class="field inline">
          <input
            id="idp-auto-create"
            name="auto_create"
            type="checkbox"
            defaultChecked={provider?.auto_create ?? true}
          />
          <label for="idp-auto-create">A first sign-in creates the user</label>
        </div>
        <FormActions submit={provider ? 'Save' : 'Add'} busy={action.busy} onCancel={onCancel} />
      </form>
      <Alert>{action.error}</Alert>
    </section>
  );
}
