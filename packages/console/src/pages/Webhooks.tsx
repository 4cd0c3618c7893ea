import { useState } from 'preact/hooks';
import type { Webhook, WebhookWithSecret } from 'user-management-api-client';
import { client } from '../api.js';
import { auth } from '../auth.js';
import { Alert, Notice, PageTitle } from '../components.js';
import { useAction, useResource } from '../hooks.js';
import { ConfirmOn, ListTable } from '../lists.js';
import { useStore } from '../store.js';
import { Deliveries } from './webhooks/Deliveries.js';
import { SigningSecret, WebhookForm } from './webhooks/WebhookForm.js';

/**
 * Webhook endpoints: read by staff; added, edited, given new secrets, tested and deleted by admins. A new endpoint's
 * signing secret is shown once; each endpoint's recent deliveries open below the list.
 */
export function WebhooksPage() {
  const me = useStore(auth);
  const list = useResource(() => client.webhooks.list(), []);
  const action = useAction();
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [secret, setSecret] = useState<WebhookWithSecret | null>(null);
  const [showing, setShowing] = useState<Webhook | null>(null);
  const [notice, setNotice] = useState('');
  if (me.state !== 'signed-in') return null;
  const admin = me.user.role === 'admin';
  const rows = list.data ?? [];
  const act = (work: () => Promise<void>) => void action.run(work);
  return (
    <div class="page">
      <div class="page-head">
        <PageTitle title="Webhooks">Webhooks</PageTitle>
        {admin && editing === null && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New endpoint
          </button>
        )}
      </div>
      <p class="muted">
        Other systems hear of changes (users, sessions, API keys, applications) by signed POSTs (Standard Webhooks).
        Signing secrets are shown once.{admin ? '' : ' Only admins may change endpoints.'}
      </p>
      {editing !== null && (
        <WebhookForm
          webhook={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            if ('secret' in saved) setSecret(saved);
            setNotice(`Endpoint ${saved.url} saved.`);
            list.reload();
          }}
        />
      )}
      {secret && <SigningSecret created={secret} onDone={() => setSecret(null)} />}
      <Alert>{list.error || action.error}</Alert>
      <Notice>{notice}</Notice>
      {list.data && (
        <ListTable
          caption="Webhook endpoints"
          columns={['URL', 'Description', 'Events', 'Enabled', 'Failing since']}
          actions
          busy={list.loading}
          empty={rows.length === 0 && 'No webhook endpoints yet.'}
        >
          {rows.map((w) => (
            <tr key={w.id}>
              <td>
                <code>{w.url}</code>
              </td>
              <td>{w.description}</td>
              <td>{w.event_types.includes('*') ? 'Every event' : w.event_types.join(', ')}</td>
              <td>{w.enabled ? 'Yes' : 'No'}</td>
              <td>{w.failing_since ?? ''}</td>
              <td>
                <div class="actions">
                  <button type="button" aria-label={`Deliveries to ${w.url}`} onClick={() => setShowing(w)}>
                    Deliveries
                  </button>
                  {admin && (
                    <>
                      <button type="button" aria-label={`Edit ${w.url}`} onClick={() => setEditing(w)}>
                        Edit
                      </button>
                      <button
                        type="button"
                        aria-label={`Send a test event to ${w.url}`}
                        onClick={() =>
                          act(async () => {
                            await client.webhooks.test(w.id);
                            setNotice(`A webhook.test event is on its way to ${w.url}.`);
                          })
                        }
                      >
                        Test
                      </button>
                      <button
                        type="button"
                        aria-label={`New secret for ${w.url}`}
                        onClick={() => act(async () => setSecret(await client.webhooks.rotateSecret(w.id)))}
                      >
                        New secret
                      </button>
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Delete ${w.url}`}
                        onClick={() => setDeleting(w)}
                      >
                        Delete
                      </button>
                    </>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {showing && <Deliveries key={showing.id} webhook={showing} admin={admin} />}
      <ConfirmOn
        item={deleting}
        title={(w) => `Delete the endpoint ${w.url}?`}
        confirm="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={async (w) => {
          await client.webhooks.delete(w.id);
          if (showing?.id === w.id) setShowing(null);
          setNotice(`Endpoint ${w.url} deleted, with its deliveries.`);
          list.reload();
        }}
      >
        <p>It receives nothing more, and its deliveries are deleted. This cannot be undone.</p>
      </ConfirmOn>
    </div>
  );
}
