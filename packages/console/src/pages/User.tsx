import { useEffect, useState } from 'preact/hooks';
import {
  ROLES,
  STATUSES,
  api,
  client,
  describe,
  isStatus,
  type ApiKey,
  type AuditEvent,
  type SessionRow,
  type User,
} from '../api.js';
import { auth, updateMe } from '../auth.js';
import { Alert, Badge, ConfirmDialog, Notice, PageTitle, StatusBadge, Time } from '../components.js';
import { capitalise, fullName, shortId } from '../format.js';
import { Link, href, rememberState } from '../router.js';
import { useStore } from '../store.js';

/**
 * One user: profile and role/status (what the signed-in user may change),
 * password reset, second factor, sessions, API keys, audit events, delete
 * and restore. A deleted user is not readable through GET /users/{id} (404):
 * its row comes from the deleted list, through history.state.
 */
interface Loaded {
  user: User;
  /** The ETag of the last read or write: sent back as If-Match so a save never overwrites someone else's change. */
  etag: string | null;
  deleted: boolean;
}

/** A deleted user's row carried here from the list (or from this page after a delete), if it is this user's. */
function carried(state: unknown, id: string): User | undefined {
  const s = state as { user?: User; deleted?: boolean } | null;
  return s?.deleted && s.user?.id === id ? s.user : undefined;
}

export function UserPage({ id }: { id: string }) {
  const me = useStore(auth);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState('');
  const [notFound, setNotFound] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => setLoaded(null), [id]);
  useEffect(() => {
    let live = true;
    setError('');
    setNotFound(false);
    api<{ data: User }>('GET', `/users/${encodeURIComponent(id)}`)
      .then(
        ({ body, response }) =>
          live && setLoaded({ user: body.data, etag: response.headers.get('etag'), deleted: false }),
      )
      .catch((e: unknown) => {
        if (!live) return;
        const row = carried(window.history.state, id);
        if (isStatus(e, 404) && row) setLoaded({ user: row, etag: null, deleted: true });
        else if (isStatus(e, 404)) {
          setLoaded(null);
          setNotFound(true);
        } else setError(describe(e));
      });
    return () => {
      live = false;
    };
  }, [id, reloads]);

  if (me.state !== 'signed-in') return null;
  const viewer = me.user;
  const admin = viewer.role === 'admin';

  if (notFound) {
    return (
      <div class="page">
        <PageTitle title="User not found">User not found</PageTitle>
        <p>No user has the id {id}.</p>
        {admin && (
          <p>
            A deleted user is in <Link to={href('/users', { status: 'deleted' })}>the deleted list</Link>, where it can
            be opened and restored.
          </p>
        )}
      </div>
    );
  }
  if (!loaded) {
    // No heading while loading: the focus goes to the user's own heading once it is there.
    return (
      <div class="page">
        {error && <PageTitle title="User">User</PageTitle>}
        <Alert>{error}</Alert>
        <Notice>{error ? '' : 'Loading the user…'}</Notice>
      </div>
    );
  }

  const { user, deleted } = loaded;
  const self = user.id === viewer.id;
  const saved = (next: User, etag: string | null) => {
    setLoaded({ user: next, etag, deleted: false });
    if (self) updateMe(next);
  };

  return (
    <div class="page user-page" key={user.id}>
      <p class="crumbs">
        <Link to={deleted ? href('/users', { status: 'deleted' }) : href('/users')}>← Back to the list</Link>
      </p>
      <div class="page-head">
        <PageTitle title={user.username}>{user.username}</PageTitle>
        <div class="badges">
          <StatusBadge status={user.status} deleted={deleted} />
          <Badge kind="role">{capitalise(user.role)}</Badge>
          {self && <Badge kind="role">You</Badge>}
        </div>
      </div>
      <Alert>{error}</Alert>

      {deleted ? (
        <Deleted user={user} admin={admin} onRestored={(u) => saved(u, null)} />
      ) : admin ? (
        <AdminProfile loaded={loaded} onSaved={saved} onStale={() => setReloads((n) => n + 1)} />
      ) : (
        <ModeratorProfile loaded={loaded} onSaved={saved} onStale={() => setReloads((n) => n + 1)} />
      )}

      <section class="card" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <dl class="facts">
          <dt>User id</dt>
          <dd>
            <code>{user.id}</code>
          </dd>
          <dt>Created</dt>
          <dd>
            <Time value={user.created_at} />
          </dd>
          <dt>Updated</dt>
          <dd>
            <Time value={user.updated_at} />
          </dd>
          <dt>Last login</dt>
          <dd>
            <Time value={user.last_login} />
          </dd>
          <dt>Email verified</dt>
          <dd>{user.email_verified ? 'Yes' : 'No'}</dd>
        </dl>
        {!deleted && <PasswordReset email={user.email} />}
      </section>

      <TwoFactor user={user} admin={admin && !deleted} onReset={() => setReloads((n) => n + 1)} />

      {admin && !deleted && <Sessions userId={user.id} self={self} />}
      {me.can.apiKeys && <UserKeys userId={user.id} />}
      {me.can.audit && <UserEvents userId={user.id} version={user.updated_at} />}

      {admin && !deleted && user.role !== 'admin' && (
        <DeleteUser
          user={user}
          onDeleted={() => {
            // Kept in this history entry, so a reload (or coming back) still shows the user, now with Restore.
            rememberState({ user, deleted: true });
            setLoaded({ user, etag: null, deleted: true });
          }}
        />
      )}
      {admin && !deleted && user.role === 'admin' && (
        <section class="card" aria-labelledby="delete-title">
          <h2 id="delete-title">Delete</h2>
          <p class="muted">Admin accounts cannot be deleted. Change the role first.</p>
        </section>
      )}
    </div>
  );
}

type Saved = (user: User, etag: string | null) => void;

async function patch(loaded: Loaded, changes: Record<string, unknown>): Promise<{ user: User; etag: string | null }> {
  const { body, response } = await api<{ data: User }>('PATCH', `/users/${encodeURIComponent(loaded.user.id)}`, {
    body: changes,
    headers: loaded.etag ? { 'if-match': loaded.etag } : {},
  });
  return { user: body.data, etag: response.headers.get('etag') };
}

function useSave(loaded: Loaded, onSaved: Saved) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [stale, setStale] = useState(false);
  const [notice, setNotice] = useState('');
  const save = async (changes: Record<string, unknown>) => {
    setError('');
    setNotice('');
    setStale(false);
    if (Object.keys(changes).length === 0) {
      setNotice('Nothing to save: no field changed.');
      return;
    }
    setBusy(true);
    try {
      const { user, etag } = await patch(loaded, changes);
      onSaved(user, etag);
      setNotice('Saved.');
    } catch (e) {
      if (isStatus(e, 412)) setStale(true);
      else setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, stale, notice, save };
}

function StaleWarning({ onReload }: { onReload: () => void }) {
  return (
    <div class="alert" role="alert">
      Someone else changed this user after you opened the page, so nothing was saved.{' '}
      <button type="button" onClick={onReload}>
        Reload user
      </button>
    </div>
  );
}

const PROFILE = [
  ['first_name', 'First name', 'text', 'given-name'],
  ['last_name', 'Last name', 'text', 'family-name'],
  ['email', 'Email', 'email', 'off'],
  ['phone_number', 'Phone number', 'tel', 'off'],
  ['date_of_birth', 'Date of birth', 'date', 'off'],
] as const;
type ProfileKey = (typeof PROFILE)[number][0] | 'bio' | 'role' | 'status';

const formOf = (u: User): Record<ProfileKey, string> => ({
  first_name: u.first_name ?? '',
  last_name: u.last_name ?? '',
  email: u.email,
  phone_number: u.phone_number ?? '',
  date_of_birth: u.date_of_birth ?? '',
  bio: u.bio ?? '',
  role: u.role,
  status: u.status,
});

function AdminProfile({ loaded, onSaved, onStale }: { loaded: Loaded; onSaved: Saved; onStale: () => void }) {
  const { user } = loaded;
  const [form, setForm] = useState(formOf(user));
  useEffect(() => setForm(formOf(user)), [user]);
  const { busy, error, stale, notice, save } = useSave(loaded, onSaved);
  const set = (name: ProfileKey) => (event: Event) =>
    setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });
  const submit = (event: Event) => {
    event.preventDefault();
    const before = formOf(user);
    const changes: Record<string, unknown> = {};
    for (const name of Object.keys(form) as ProfileKey[]) {
      const value = name === 'bio' ? form[name] : form[name].trim();
      if (value === before[name]) continue;
      // An emptied optional field is cleared; email is required.
      changes[name] = value === '' && name !== 'email' ? null : value;
    }
    void save(changes);
  };
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <form onSubmit={submit} class="grid-form">
        {PROFILE.map(([name, label, type, autocomplete]) => (
          <div class="field" key={name}>
            <label for={`user-${name}`}>{label}</label>
            <input
              id={`user-${name}`}
              type={type}
              value={form[name]}
              onInput={set(name)}
              autoComplete={autocomplete}
              required={name === 'email'}
            />
          </div>
        ))}
        <div class="field wide">
          <label for="user-bio">Bio</label>
          <textarea id="user-bio" rows={3} maxLength={500} value={form.bio} onInput={set('bio')} />
        </div>
        <div class="field">
          <label for="user-role">Role</label>
          <select id="user-role" value={form.role} onChange={set('role')}>
            {ROLES.map((r) => (
              <option value={r}>{capitalise(r)}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="user-status">Status</label>
          <select id="user-status" value={form.status} onChange={set('status')}>
            {STATUSES.map((s) => (
              <option value={s}>{capitalise(s)}</option>
            ))}
          </select>
        </div>
        <div class="actions wide">
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
      <Alert>{error}</Alert>
      {stale && <StaleWarning onReload={onStale} />}
      <Notice>{notice}</Notice>
    </section>
  );
}

/** A moderator reads the profile and changes only the status, and not an admin's. */
function ModeratorProfile({ loaded, onSaved, onStale }: { loaded: Loaded; onSaved: Saved; onStale: () => void }) {
  const { user } = loaded;
  const [status, setStatus] = useState<string>(user.status);
  useEffect(() => setStatus(user.status), [user]);
  const { busy, error, stale, notice, save } = useSave(loaded, onSaved);
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{fullName(user) || <span class="muted">—</span>}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Phone number</dt>
        <dd>{user.phone_number ?? <span class="muted">—</span>}</dd>
        <dt>Date of birth</dt>
        <dd>{user.date_of_birth ?? <span class="muted">—</span>}</dd>
        <dt>Bio</dt>
        <dd>{user.bio ?? <span class="muted">—</span>}</dd>
        <dt>Role</dt>
        <dd>{capitalise(user.role)}</dd>
      </dl>
      {user.role === 'admin' ? (
        <p class="muted">Only admins change an admin's status.</p>
      ) : (
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save(status === user.status ? {} : { status });
          }}
        >
          <div class="field">
            <label for="user-status">Status</label>
            <select id="user-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              {STATUSES.map((s) => (
                <option value={s}>{capitalise(s)}</option>
              ))}
            </select>
          </div>
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
        </form>
      )}
      <Alert>{error}</Alert>
      {stale && <StaleWarning onReload={onStale} />}
      <Notice>{notice}</Notice>
    </section>
  );
}

function Deleted({ user, admin, onRestored }: { user: User; admin: boolean; onRestored: (u: User) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const restore = async () => {
    setBusy(true);
    setError('');
    try {
      const restored = await client.users.restore(user.id);
      rememberState(null);
      onRestored(restored);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card deleted" aria-labelledby="deleted-title">
      <h2 id="deleted-title">Deleted</h2>
      <p>
        This user is deleted: {user.email}
        {fullName(user) ? `, ${fullName(user)}` : ''}. They cannot sign in.
      </p>
      {admin && (
        <button type="button" class="primary" onClick={restore} disabled={busy}>
          Restore user
        </button>
      )}
      <Alert>{error}</Alert>
    </section>
  );
}

function PasswordReset({ email }: { email: string }) {
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      await api('POST', '/auth/password-reset/request', { body: { email } });
      setNotice(
        `A password reset code is on its way to ${email} (when the server has mail configured; otherwise the mail is written to the server's log).`,
      );
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="subsection">
      <h3>Password</h3>
      <p class="muted">Mails the user a code to choose a new password. Their sessions end when they use it.</p>
      <button type="button" onClick={send} disabled={busy}>
        Send password reset
      </button>
      <Alert>{error}</Alert>
      <Notice>{notice}</Notice>
    </div>
  );
}

function TwoFactor({ user, admin, onReset }: { user: User; admin: boolean; onReset: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState('');
  return (
    <section class="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-factor authentication</h2>
      <p>{user.mfa_enabled ? 'On: sign-in asks for a code from an authenticator app (TOTP).' : 'Off.'}</p>
      {admin && user.mfa_enabled && (
        <button type="button" onClick={() => setConfirming(true)}>
          Reset two-factor
        </button>
      )}
      <Notice>{notice}</Notice>
      <ConfirmDialog
        open={confirming}
        title={`Reset two-factor of ${user.username}?`}
        confirm="Reset"
        danger
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          try {
            await api('DELETE', `/users/${encodeURIComponent(user.id)}/mfa`);
          } catch (e) {
            throw new Error(describe(e));
          }
          setNotice('Two-factor authentication is off; the user can turn it on again.');
          onReset();
        }}
      >
        <p>For a lost authenticator: the user then signs in with the password alone until they set up a new one.</p>
      </ConfirmDialog>
    </section>
  );
}

function Sessions({ userId, self }: { userId: string; self: boolean }) {
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [reloads, setReloads] = useState(0);
  const path = `/users/${encodeURIComponent(userId)}/sessions`;
  useEffect(() => {
    let live = true;
    api<{ data: SessionRow[] }>('GET', path)
      .then(({ body }) => live && setSessions(body.data))
      .catch((e: unknown) => live && setError(describe(e)));
    return () => {
      live = false;
    };
  }, [path, reloads]);
  const act = async (method: string, url: string, done: string) => {
    setError('');
    setNotice('');
    try {
      await api(method, url);
      setNotice(done);
      setReloads((n) => n + 1);
    } catch (e) {
      setError(describe(e));
    }
  };
  return (
    <section class="card" aria-labelledby="sessions-title">
      <div class="card-head">
        <h2 id="sessions-title">Sessions</h2>
        <button
          type="button"
          class="danger"
          disabled={!sessions || sessions.length === 0}
          onClick={() => act('DELETE', path, 'Every session ended.')}
        >
          Revoke all sessions
        </button>
      </div>
      {self && <p class="muted">These include your console session: ending it signs you out.</p>}
      <Alert>{error}</Alert>
      <Notice>{notice}</Notice>
      {sessions && sessions.length === 0 && <p class="muted">No live sessions.</p>}
      {sessions && sessions.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Live sessions</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Address</th>
                <th scope="col">Browser or app</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
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
                      onClick={() => act('DELETE', `${path}/${encodeURIComponent(s.id)}`, 'Session ended.')}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function keyState(k: ApiKey): string {
  if (k.revoked_at) return 'Revoked';
  if (k.expires_at && Date.parse(k.expires_at) <= Date.now()) return 'Expired';
  return 'Active';
}

function UserKeys({ userId }: { userId: string }) {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    client.apiKeys
      .list()
      .then((all) => live && setKeys(all.filter((k) => k.created_by === userId)))
      .catch((e: unknown) => live && setError(describe(e)));
    return () => {
      live = false;
    };
  }, [userId]);
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <Alert>{error}</Alert>
      {keys && keys.length === 0 && <p class="muted">This user has made no API keys.</p>}
      {keys && keys.length > 0 && (
        <ul class="plain">
          {keys.map((k) => (
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
function UserEvents({ userId, version }: { userId: string; version: string }) {
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    api<{ data: AuditEvent[] }>('GET', '/audit-events', { query: { target_id: userId, limit: 10 } })
      .then(({ body }) => live && setEvents(body.data))
      .catch((e: unknown) => live && setError(describe(e)));
    return () => {
      live = false;
    };
  }, [userId, version]);
  return (
    <section class="card" aria-labelledby="events-title">
      <h2 id="events-title">Audit events</h2>
      <Alert>{error}</Alert>
      {events && events.length === 0 && <p class="muted">No events about this user.</p>}
      {events && events.length > 0 && (
        <ul class="plain events">
          {events.map((e) => (
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

function DeleteUser({ user, onDeleted }: { user: User; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <section class="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete</h2>
      <p>The user can no longer sign in and every session ends. An admin can restore them.</p>
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        Delete user
      </button>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${user.username}?`}
        confirm="Delete"
        danger
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          try {
            await client.users.delete(user.id);
          } catch (e) {
            throw new Error(describe(e));
          }
          onDeleted();
        }}
      >
        <p>
          {user.username} ({user.email}) will be deleted. They can be restored later from this page or from Users,
          status Deleted.
        </p>
      </ConfirmDialog>
    </section>
  );
}
