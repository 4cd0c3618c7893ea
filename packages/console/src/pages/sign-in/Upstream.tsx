import type { PublicIdentityProvider } from 'user-management-api-client';
import { client } from '../../api.js';
import { useResource } from '../../hooks.js';

/**
 * "Sign in with <provider>": a link per enabled provider to the server's start of the flow, which comes back to
 * /console/ signed in (the session cookie set by the callback), or with `#mfa_token=…` when the user has a second
 * factor.
 */
export function UpstreamButtons() {
  const providers = useResource<PublicIdentityProvider[]>(
    () => client.identityProviders.listPublic().catch(() => []),
    [],
  );
  if (!providers.data?.length) return null;
  return (
    <fieldset class="stack upstream">
      <legend class="visually-hidden">Other ways to sign in</legend>
      {providers.data.map((p) => (
        <a key={p.id} class="button" href={`/auth/upstream/${encodeURIComponent(p.id)}?to=console`}>
          Sign in with {p.display_name}
        </a>
      ))}
    </fieldset>
  );
}

/** The second factor's challenge an upstream sign-in came back with (in the fragment), taken out of the address. */
export function upstreamMfaToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('mfa_token');
  if (token) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token;
}
