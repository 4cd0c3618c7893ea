import type { LinkedIdentity } from 'user-management-api-client';
import type { User } from '../../api.js';
import { Time } from '../../components.js';

/** The user's linked accounts at identity providers, as GET /users/{id} shows them to admins. */
export function Identities({ user }: { user: User }) {
  const identities = (user as User & { identities?: LinkedIdentity[] }).identities;
  if (!identities) return null;
  return (
    <section class="card" aria-labelledby="identities-title">
      <h2 id="identities-title">Linked accounts</h2>
      {identities.length === 0 ? (
        <p class="muted">No account at an identity provider is linked.</p>
      ) : (
        <ul class="plain">
          {identities.map((i) => (
            <li key={i.provider_id}>
              <strong>{i.display_name}</strong> ({i.provider_type}) · <code>{i.subject}</code>
              {i.email ? ` · ${i.email}` : ''} · linked <Time value={i.linked_at} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
