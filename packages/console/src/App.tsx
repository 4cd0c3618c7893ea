import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { auth, restore, signOut } from './auth.js';
import { PageTitle, focusNextTitle } from './components.js';
import { capitalise } from './format.js';
import { useAction } from './hooks.js';
import { AccountPage } from './pages/Account.js';
import { ApiKeysPage } from './pages/ApiKeys.js';
import { ApplicationsPage } from './pages/Applications.js';
import { AuditPage } from './pages/Audit.js';
import { DashboardPage } from './pages/Dashboard.js';
import { IdentityProvidersPage } from './pages/IdentityProviders.js';
import { SignInPage } from './pages/SignIn.js';
import { UserPage } from './pages/User.js';
import { UsersPage } from './pages/Users.js';
import { WebhooksPage } from './pages/Webhooks.js';
import { OrganizationPage } from './pages/Organization.js';
import { OrganizationsPage } from './pages/Organizations.js';
import { RolesPage } from './pages/Roles.js';
import { UserSchemaPage } from './pages/UserSchema.js';
import { Link, href, location as routerLocation, navigate, useLocation } from './router.js';
import { useStore } from './store.js';

type PageName =
  | 'home'
  | 'dashboard'
  | 'users'
  | 'user'
  | 'account'
  | 'api-keys'
  | 'applications'
  | 'identity-providers'
  | 'webhooks'
  | 'organizations'
  | 'organization'
  | 'roles'
  | 'user-schema'
  | 'audit'
  | 'not-found';

/** The console's pages by path; /console itself shows the dashboard (admins, moderators) or Users. */
function route(path: string): { name: PageName; id?: string } {
  if (path === '/dashboard') return { name: 'dashboard' };
  if (path === '/') return { name: 'home' };
  if (path === '/users') return { name: 'users' };
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user) return { name: 'user', id: decodeURIComponent(user[1]!) };
  if (path === '/account') return { name: 'account' };
  if (path === '/api-keys') return { name: 'api-keys' };
  if (path === '/applications') return { name: 'applications' };
  if (path === '/identity-providers') return { name: 'identity-providers' };
  if (path === '/webhooks') return { name: 'webhooks' };
  if (path === '/organizations') return { name: 'organizations' };
  const organization = /^\/organizations\/([^/]+)$/.exec(path);
  if (organization) return { name: 'organization', id: decodeURIComponent(organization[1]!) };
  if (path === '/roles') return { name: 'roles' };
  if (path === '/user-schema') return { name: 'user-schema' };
  if (path === '/audit') return { name: 'audit' };
  return { name: 'not-found' };
}

export function App() {
  const state = useStore(auth);
  const location = useLocation();
  const routed = route(location.path);

  useEffect(() => {
    void restore();
  }, []);

  // /console (or /console/) shows the dashboard (admins, moderators) or Users, then names it in the URL, so links and
  // "back" agree; only if the person has not moved on meanwhile.
  const landing = state.state === 'signed-in' && state.can.dashboard ? 'dashboard' : 'users';
  useEffect(() => {
    if (location.path === '/' && state.state === 'signed-in' && routerLocation.get().path === '/')
      navigate(href(`/${landing}`), { replace: true });
  }, [location.path, state.state, landing]);

  // A move to another page: focus goes to its heading, the view to its top.
  const lastPath = useRef(location.path);
  if (lastPath.current !== location.path) {
    lastPath.current = location.path;
    focusNextTitle();
    window.scrollTo(0, 0);
  }

  if (state.state === 'loading') {
    return (
      <main id="main" class="sign-in">
        <p role="status">Loading the console…</p>
      </main>
    );
  }
  if (state.state === 'signed-out') return <SignInPage message={state.message} />;

  const { user, can } = state;
  const current: { name: PageName; id?: string } = routed.name === 'home' ? { name: landing } : routed;
  let page: ComponentChildren;
  if (current.name === 'dashboard' && can.dashboard) page = <DashboardPage />;
  else if (current.name === 'users') page = <UsersPage />;
  // Keyed by the id: another user's page starts afresh, showing nothing of the one before.
  else if (current.name === 'user') page = <UserPage key={current.id} id={current.id!} />;
  else if (current.name === 'account') page = <AccountPage />;
  else if (current.name === 'api-keys' && can.apiKeys) page = <ApiKeysPage />;
  else if (current.name === 'applications' && can.applications) page = <ApplicationsPage />;
  else if (current.name === 'identity-providers' && can.applications) page = <IdentityProvidersPage />;
  else if (current.name === 'webhooks' && can.applications) page = <WebhooksPage />;
  else if (current.name === 'organizations' && can.applications) page = <OrganizationsPage />;
  else if (current.name === 'organization' && can.applications)
    page = <OrganizationPage key={current.id} id={current.id!} />;
  else if (current.name === 'roles' && can.applications) page = <RolesPage />;
  // The schema is the admins' to edit (moderators may read it through the API).
  else if (current.name === 'user-schema' && user.role === 'admin') page = <UserSchemaPage />;
  else if (current.name === 'audit' && can.audit) page = <AuditPage />;
  else
    page = (
      <div class="page">
        <PageTitle title="Not found">Page not found</PageTitle>
        <p>
          There is nothing here. <Link to={href('/users')}>Go to the user list</Link>.
        </p>
      </div>
    );

  const navLink = (to: string, name: string, active: boolean) => (
    <li>
      <Link to={href(to)} aria-current={active ? 'page' : undefined}>
        {name}
      </Link>
    </li>
  );

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Usher console</span>
        <nav aria-label="Console">
          <ul>
            {can.dashboard && navLink('/dashboard', 'Dashboard', current.name === 'dashboard')}
            {navLink('/users', 'Users', current.name === 'users' || current.name === 'user')}
            {can.apiKeys && navLink('/api-keys', 'API keys', current.name === 'api-keys')}
            {can.applications && navLink('/applications', 'Applications', current.name === 'applications')}
            {can.applications &&
              navLink('/identity-providers', 'Identity providers', current.name === 'identity-providers')}
            {can.applications && navLink('/webhooks', 'Webhooks', current.name === 'webhooks')}
            {can.applications &&
              navLink(
                '/organizations',
                'Organizations',
                current.name === 'organizations' || current.name === 'organization',
              )}
            {can.applications && navLink('/roles', 'Roles', current.name === 'roles')}
            {user.role === 'admin' && navLink('/user-schema', 'User schema', current.name === 'user-schema')}
            {can.audit && navLink('/audit', 'Audit log', current.name === 'audit')}
          </ul>
        </nav>
        <div class="me">
          <Link
            to={href('/account')}
            class="me-link"
            aria-current={current.name === 'account' ? 'page' : undefined}
            title="My account"
          >
            {user.username}
          </Link>
          <span class="muted"> · {capitalise(user.role)}</span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

function SignOutButton() {
  const action = useAction();
  return (
    <button type="button" disabled={action.busy} onClick={() => action.run(signOut)}>
      Sign out
    </button>
  );
}
