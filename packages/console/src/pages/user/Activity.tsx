import { type ApiKey, client } from '../../api.js';
import { Alert, Time } from '../../components.js';
import { capitalise, shortId } from '../../format.js';
import { useResource } from '../../hooks.js';
import { Link, href } from '../../router.js';

/** What the user did: the API keys they made, and the latest audit events about them. */

function keyState(k: ApiKey): string {
  if (k.revoked_at) return 'Revoked';
  if (k.expires_at && Date.parse(k.expires_at) <= Date.now()) return 'Expired';
  return 'Active';
}

export function UserKeys({ userId }: { userId: string }) {
  const keys = useResource(async () => (await client.apiKeys.list()).filter((k) => k.created_by === userId), [userId]);
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <Alert>{keys.error}</Alert>
      {keys.data && keys.data.length === 0 && <p class="muted">This user has made no API keys.</p>}
      {keys.data && keys.data.length > 0 && (
        <ul class="plain">
          {keys.data.map((k) => (
            <li key={k.id}>
              <strong>{k.name}</strong> <code>{k.prefix}…</code> · {capitalise(k.role)} · {keyState(k)} · created{' '}
              <Time value={k.created_at} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={href('/api-keys')}>Open the key list</Link>
      </p>
    </section>
  );
}

/** The latest events about the user, read again whenever the user changes (`version`). */
export function UserEvents({ userId, version }: { userId: string; version: string }) {
  const events = useResource(
    async () => (await client.auditEvents.list({ target_id: userId, limit: 10 })).data,
    [userId, version],
  );
  return (
    <section class="card" aria-labelledby="events-title">
      <h2 id="events-title">Audit events</h2>
      <Alert>{events.error}</Alert>
      {events.data && events.data.length === 0 && <p class="muted">No events about this user.</p>}
      {events.data && events.data.length > 0 && (
        <ul class="plain events">
          {events.data.map((e) => (
            <li key={e.id}>
              <Time value={e.created_at} /> · <code>{e.type}</code>
              {e.actor_id && e.actor_id !== userId && (
                <>
                  {' '}
                  by <Link to={href(`/users/${e.actor_id}`)}>{shortId(e.actor_id)}</Link>
                </>
              )}
              {e.ip && <span class="muted"> · {e.ip}</span>}
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={href('/audit', { target_id: userId })}>All events about this user</Link>
      </p>
    </section>
  );
}
