import { useState } from 'preact/hooks';
import type { CreatedScimToken, Organization, ScimToken } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert, Badge, Notice, Time } from '../../components.js';
import { useAction, useResource } from '../../hooks.js';
import { ConfirmOn, Field, ListTable } from '../../lists.js';
import { SecretField } from '../../secret-field.js';

/**
 * Where directories send SCIM requests: /scim/v2 at the server's public address, read from its OpenID discovery
 * document's issuer (the console's own origin if that cannot be read: the same server, perhaps behind a proxy).
 */
async function scimBaseUrl(): Promise<string> {
  let origin = window.location.origin;
  try {
    const answer = await fetch('/.well-known/openid-configuration', { headers: { accept: 'application/json' } });
    const issuer = answer.ok ? ((await answer.json()) as { issuer?: unknown }).issuer : undefined;
    if (typeof issuer === 'string' && /^https?:\/\//.test(issuer)) origin = issuer.replace(/\/+$/, '');
  } catch {
    // The console's origin stands.
  }
  return `${origin}/scim/v2`;
}

/** A new token, this once, with its copy button and the warning that it is not shown again. */
function NewToken({ created, onDone }: { created: CreatedScimToken; onDone: () => void }) {
  return (
    <section class="card secret" aria-labelledby="scim-secret-title">
      <h3 id="scim-secret-title">SCIM token {created.name}</h3>
      {created.token === null ? (
        <p>This token was made by an earlier attempt and shown then only: revoke it and create another.</p>
      ) : (
        <>
          <p>
            <strong>Copy the token now: it is not shown again.</strong> Paste it as the secret token (bearer token) of
            the directory's provisioning; anyone holding it can create, change and remove this organization's members.
          </p>
          <SecretField id="scim-token" label="SCIM token" value={created.token} button="Copy token" noun="token" />
        </>
      )}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}

/**
 * SCIM provisioning: the base URL to give the directory (Entra ID, Okta…), the organization's bearer tokens (listed
 * for staff, by their first characters only), a new one (admins; shown once) and revoking (admins, confirmed).
 */
export function ScimTokens({ organization, admin }: { organization: Organization; admin: boolean }) {
  const list = useResource(() => client.organizations.scimTokens.list(organization.id), [organization.id]);
  const baseUrl = useResource(scimBaseUrl, []);
  const create = useAction();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedScimToken | null>(null);
  const [revoking, setRevoking] = useState<ScimToken | null>(null);
  const [notice, setNotice] = useState('');
  const rows = list.data ?? [];
  return (
    <section class="card" aria-labelledby="scim-title">
      <h2 id="scim-title">SCIM provisioning</h2>
      <p class="muted">
        The company's directory creates, updates and deactivates this organization's members, and its groups become
        organization roles of the same name. Give the directory this base URL and a token.
      </p>
      <dl class="facts">
        <dt>SCIM base URL</dt>
        <dd>
          <code>{baseUrl.data ?? '…'}</code>
        </dd>
      </dl>
      {admin && (
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            void create.run(async () => {
              setCreated(await client.organizations.scimTokens.create(organization.id, { name: name.trim() }));
              setName('');
              setNotice('');
              list.reload();
            });
          }}
        >
          <Field
            id="scim-token-name"
            label="Token name (the directory using it)"
            value={name}
            onValue={setName}
            required
            maxLength={100}
          />
          <button type="submit" class="primary" disabled={create.busy}>
            Create SCIM token
          </button>
        </form>
      )}
      {created && <NewToken created={created} onDone={() => setCreated(null)} />}
      <Alert>{list.error || create.error}</Alert>
      <Notice>{notice}</Notice>
      {list.data && (
        <ListTable
          caption="SCIM tokens"
          columns={['Name', 'Token', 'Status', 'Last used', 'Created']}
          actions={admin}
          busy={list.loading}
          empty={rows.length === 0 && 'No SCIM tokens yet.'}
        >
          {rows.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{t.revoked_at ? <Badge kind="inactive">revoked</Badge> : <Badge kind="active">active</Badge>}</td>
              <td>{t.last_used_at ? <Time value={t.last_used_at} /> : <span class="muted">Never</span>}</td>
              <td>
                <Time value={t.created_at} />
              </td>
              {admin && (
                <td>
                  {!t.revoked_at && (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke SCIM token ${t.name}`}
                      onClick={() => setRevoking(t)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </ListTable>
      )}
      <ConfirmOn
        item={revoking}
        title={(t) => `Revoke the SCIM token ${t.name}?`}
        confirm="Revoke"
        onClose={() => setRevoking(null)}
        onConfirm={async (t) => {
          await client.organizations.scimTokens.revoke(organization.id, t.id);
          if (created?.id === t.id) setCreated(null);
          setNotice(`SCIM token ${t.name} revoked.`);
          list.reload();
        }}
      >
        <p>The directory using it is refused from this moment: provisioning stops until it has a new token.</p>
      </ConfirmOn>
    </section>
  );
}
