import { useState } from 'preact/hooks';
import type { Webhook } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert, Notice, Time } from '../../components.js';
import { capitalise } from '../../format.js';
import { useAction, useResource } from '../../hooks.js';
import { ListTable } from '../../lists.js';

/** An endpoint's 20 latest deliveries, with a Resend button for admins. */
export function Deliveries({ webhook, admin }: { webhook: Webhook; admin: boolean }) {
  const list = useResource(() => client.webhooks.deliveries(webhook.id, { limit: 20 }), [webhook.id]);
  const action = useAction();
  const [notice, setNotice] = useState('');
  const rows = list.data?.data ?? [];
  return (
    <section class="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Recent deliveries to {webhook.url}</h2>
      <Alert>{list.error || action.error}</Alert>
      <Notice>{notice}</Notice>
      {list.data && (
        <ListTable
          caption={`Recent deliveries to ${webhook.url}`}
          columns={['Event', 'Status', 'Attempts', 'Answer', 'Time taken', 'Created', 'Next attempt']}
          actions={admin}
          busy={list.loading}
          empty={rows.length === 0 && 'No deliveries yet.'}
        >
          {rows.map((d) => (
            <tr key={d.id}>
              <td>
                <code>{d.event_type}</code>
              </td>
              <td>{capitalise(d.status)}</td>
              <td>{d.attempts}</td>
              <td title={d.last_error ?? undefined}>{d.response_status ?? (d.last_error ? 'No answer' : '')}</td>
              <td>{d.duration_ms === null ? '' : `${d.duration_ms} ms`}</td>
              <td>
                <Time value={d.created_at} />
              </td>
              <td>
                <Time value={d.next_attempt_at} />
              </td>
              {admin && (
                <td>
                  <button
                    type="button"
                    disabled={action.busy}
                    aria-label={`Resend ${d.event_type} of ${d.created_at}`}
                    onClick={() =>
                      void action.run(async () => {
                        await client.webhooks.resend(webhook.id, d.id);
                        setNotice(`${d.event_type} queued again, with the same webhook-id.`);
                        list.reload();
                      })
                    }
                  >
                    Resend
                  </button>
                </td>
              )}
            </tr>
          ))}
        </ListTable>
      )}
    </section>
  );
}
