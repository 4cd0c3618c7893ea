import { client, isStatus, type User } from '../api.js';
import { auth, updateMe } from '../auth.js';
import { Alert, Badge, Notice, PageTitle, StatusBadge, Time } from '../components.js';
import { capitalise } from '../format.js';
import { useResource } from '../hooks.js';
import { Link, href, rememberState } from '../router.js';
import { useStore } from '../store.js';
import { DeleteUser, Deleted, PasswordReset, TwoFactor } from './user/Account.js';
import { UserEvents, UserKeys } from './user/Activity.js';
import { AdminProfile, type Loaded, ModeratorProfile } from './user/Profile.js';
import { UserPasskeys } from './user/Passkeys.js';
import { Sessions } from './user/Sessions.js';
import { Identities } from './user/Identities.js';
import { CustomData } from './user/CustomData.js';

/**
 * One user: profile and role/status (what the signed-in user may change),
 * password reset, second factor, sessions, API keys, audit events, delete
 * and restore. A deleted user is not readable through GET /users/{id} (404):
 * its row comes from the deleted list, through history.state. The app mounts
 * the page afresh for each user.
 */

/** A deleted user's row carried here from the list (or from this page after a delete), if it is this user's. */
function carried(state: unknown, id: string): User | undefined {
  const s = state as { user?: User; deleted?: boolean } | null;
  return s?.deleted && s.user?.id === id ? s.user : undefined;
}

/** The user, or null when there is none with this id. */
async function read(id: string): Promise<Loaded | null> {
  try {
    const { user, etag } = await client.users.getWithETag(id);
    return { user, etag, deleted: false };
  } catch (e) {
    if (!isStatus(e, 404)) throw e;
    const row = carried(window.history.state, id);
    return row ? { user: row, etag: null, deleted: true } : null;
  }
}

export function UserPage({ id }: { id: string }) {
  const me = useStore(auth);
  const loaded = useResource(() => read(id), [id]);

  if (me.state !== 'signed-in') return null;
  const viewer = me.user;
  const admin = viewer.role === 'admin';

  if (loaded.data === null) {
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
  if (loaded.data === undefined) {
    // No heading while loading: the focus goes to the user's own heading once it is there.
    return (
      <div class="page">
        {loaded.error && <PageTitle title="User">User</PageTitle>}
        <Alert>{loaded.error}</Alert>
        <Notice>{loaded.error ? '' : 'Loading the user…'}</Notice>
      </div>
    );
  }

  const { user, deleted } = loaded.data;
  const self = user.id === viewer.id;
  const saved = (next: User, etag: string | null) => {
    loaded.set({ user: next, etag, deleted: false });
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
      <Alert>{loaded.error}</Alert>

      {deleted ? (
        <Deleted user={user} admin={admin} onRestored={(u) => saved(u, null)} />
      ) : admin ? (
        <AdminProfile loaded={loaded.data} onSaved={saved} onStale={loaded.reload} />
      ) : (
        <ModeratorProfile loaded={loaded.data} onSaved={saved} onStale={loaded.reload} />
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

      {!deleted && <CustomData user={user} etag={loaded.data.etag} admin={admin} onSaved={saved} />}

      <TwoFactor user={user} admin={admin && !deleted} onReset={loaded.reload} />
      {admin && !deleted && <Identities user={user} />}

      {admin && !deleted && <Sessions userId={user.id} self={self} />}
      {admin && !deleted && <UserPasskeys userId={user.id} />}
      {me.can.apiKeys && <UserKeys userId={user.id} />}
      {me.can.audit && <UserEvents userId={user.id} version={user.updated_at} />}

      {admin && !deleted && user.role !== 'admin' && (
        <DeleteUser
          user={user}
          onDeleted={() => {
            // Kept in this history entry, so a reload (or coming back) still shows the user, now with Restore.
            rememberState({ user, deleted: true });
            loaded.set({ user, etag: null, deleted: true });
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
