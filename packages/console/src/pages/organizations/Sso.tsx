import { useState } from 'preact/hooks';
import type { Organization, OrganizationSso, PutOrganizationSsoInput } from 'user-management-api-client';
import { client, isStatus } from '../../api.js';
import { Alert, Notice } from '../../components.js';
import { useAction, useResource } from '../../hooks.js';
import { ConfirmOn } from '../../lists.js';
import { SecretField } from '../../secret-field.js';
import { SsoForm } from './SsoForm.js';

const TYPE_LABELS: Record<OrganizationSso['type'], string> = {
  oidc: 'OpenID provider (by its issuer)',
  google: 'Google',
  microsoft: 'Microsoft (Entra ID)',
};

/** The facts of a configured single sign-on, for everyone here; the redirect URI with a copy button. */
function Facts({ sso }: { sso: OrganizationSso }) {
  return (
    <>
      <dl class="facts">
        <dt>Provider</dt>
        <dd>
          {TYPE_LABELS[sso.type]} · {sso.display_name}
        </dd>
        <dt>Issuer</dt>
        <dd>{sso.issuer ? <code>{sso.issuer}</code> : <span class="muted">Default</span>}</dd>
        <dt>Client ID</dt>
        <dd>
          <code>{sso.client_id}</code>
        </dd>
        <dt>Client secret</dt>
        <dd>{sso.has_client_secret ? 'Stored (never shown)' : 'None'}</dd>
        <dt>Scopes</dt>
        <dd>
          <code>{sso.scopes.join(' ')}</code>
        </dd>
        <dt>Status</dt>
        <dd>
          {sso.enabled ? 'Enabled: addresses at the domains go to it' : 'Disabled'} ·{' '}
          {sso.enforced ? 'Enforced: members may not sign in with a password' : 'Passwords allowed'}
        </dd>
      </dl>
      <SecretField
        id="sso-redirect-uri"
        label="Redirect URI (register it at the company's provider)"
        value={sso.redirect_uri}
        button="Copy redirect URI"
        noun="redirect URI"
        focus={false}
      />
    </>
  );
}

/**
 * Single sign-on: the organization's own OpenID provider, which its domains' addresses are sent to. Read by staff;
 * set, changed and removed by admins (the client secret is write-only). The redirect URI to register at the
 * provider is shown once it is set (it names the provider).
 */
export function Sso({ organization, admin }: { organization: Organization; admin: boolean }) {
  const loaded = useResource(
    () =>
      client.organizationSso.get(organization.id).catch((e: unknown) => {
        if (isStatus(e, 404)) return null;
        throw e;
      }),
    [organization.id],
  );
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState<OrganizationSso | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction();
  const sso = loaded.data;
  const save = (input: PutOrganizationSsoInput) =>
    action.run(async () => {
      loaded.set(await client.organizationSso.set(organization.id, input));
      setEditing(false);
      setNotice('Single sign-on saved. Register the redirect URI at the provider if you have not yet.');
    });
  return (
    <section class="card" aria-labelledby="sso-title">
      <div class="section-head">
        <h2 id="sso-title">Single sign-on</h2>
      </div>
      <p class="muted">
        Addresses at this organization's domains ({organization.domains.join(', ') || 'none set yet'}) sign in through
        the company's own OpenID provider; a first sign-in there makes them a member.
      </p>
      <Alert>{loaded.error}</Alert>
      <Notice>{notice}</Notice>
      {sso === null && !editing && <p>Not set up.</p>}
      {sso && !editing && <Facts sso={sso} />}
      {admin && sso !== undefined && !editing && (
        <div class="actions">
          <button type="button" class={sso ? '' : 'primary'} onClick={() => setEditing(true)}>
            {sso ? 'Edit single sign-on' : 'Set up single sign-on'}
          </button>
          {sso && (
            <button type="button" class="danger" onClick={() => setRemoving(sso)}>
              Remove single sign-on
            </button>
          )}
        </div>
      )}
      {admin && editing && (
        <SsoForm
          sso={sso ?? null}
          organization={organization}
          busy={action.busy}
          error={action.error}
          onCancel={() => setEditing(false)}
          onSave={(input) => void save(input)}
        />
      )}
      <ConfirmOn
        item={removing}
        title={() => `Remove the single sign-on of ${organization.name}?`}
        confirm="Remove"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          await client.organizationSso.delete(organization.id);
          loaded.set(null);
          setNotice('Single sign-on removed.');
        }}
      >
        <p>
          Its addresses sign in as before (passwords, links, passkeys) and every account linked at the provider is
          unlinked. It is refused while it would leave someone with no way to sign in.
        </p>
      </ConfirmOn>
    </section>
  );
}
