import { useState } from 'preact/hooks';
import { client } from '../../api.js';
import { Alert, Notice, Time } from '../../components.js';
import { shortId } from '../../format.js';
import { useAction, useResource } from '../../hooks.js';
import { ListTable } from '../../lists.js';

/** The user's live sessions (the first page, newest first), each to end, or all at once. */
export function Sessions({ userId, self }: { userId: string; self: boolean }) {
  const sessions = useResource(async () => (await client.sessions.list(userId)).data, [userId]);
  const [notice, setNotice] = useState('');
  const action = useAction();
  const end = (revoke: () => Promise<void>, done: string) =>
    action.run(async () => {
      setNotice('');
      await revoke();
      setNotice(done);
      sessions.reload();
    });
  const rows = sessions.data;
  return (
    <section class="card" aria-labelledby="sessions-title">
      <div class="card-head">
        <h2 id="sessions-title">Sessions</h2>
        <button
          type="button"
          class="danger"
          disabled={!rows || rows.length === 0}
          onClick={() => end(() => client.sessions.revokeAll(userId), 'Every session ended.')}
        >
          Revoke all sessions
        </button>
      </div>
      {self && <p class="muted">These include your console session: ending it signs you out.</p>}
      <Alert>{action.error || sessions.error}</Alert>
      <Notice>{notice}</Notice>
      {rows && rows.length === 0 && <p class="muted">No live sessions.</p>}
      {rows && rows.length > 0 && (
        <ListTable
          caption="Live sessions"
          columns={['Started', 'Last used', 'Expires', 'Address', 'Browser or app']}
          actions
        >
          {rows.map((s) => (
            <tr key={s.id}>
              <td>
                <Time value={s.created_at} />
              </td>
              <td>
                <Time value={s.last_used_at} />
              </td>
              <td>
                <Time value={s.expires_at} />
              </td>
              <td>{s.ip ?? '—'}</td>
              <td class="ua">{s.user_agent ?? '—'}</td>
              <td>
                <button
                  type="button"
                  aria-label={`Revoke session ${shortId(s.id)}`}
                  onClick={() => end(() => client.sessions.revoke(userId, s.id), 'Session ended.')}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </ListTable>
      )}
    </section>
  );
}
