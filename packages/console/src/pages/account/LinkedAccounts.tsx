import { useState } from 'preact/hooks';
import { client } from '../../api.js';
import { Alert, ConfirmDialog, Notice, Time } from '../../components.js';
import { useAction, useResource } from '../../hooks.js';

/**
 * "Linked accounts" on My account: the accounts at identity providers they sign in with, a button
 * to link each enabled provider (opens the provider; needs a recent sign-in), and unlinking (refused for the last way
 * to sign in).
 */
export function LinkedAccounts() {
  const mine = useResource(() => client.identities.list(), []);
  const providers = useResource(() => client.identityProviders.listPublic(), []);
  const link = useAction();
  const [unlinking, setUnlinking] = useState<{ id: string; name: string } | null>(null);
  const [notice, setNotice] = useState('');
  const linked = new Set((mine.data ?? []).map((i) => i.provider_id));
  const open = (providers.data ?? []).filter((p) => !linked.has(p.id));
  if ((mine.data ?? []).length === 0 && open.length === 0) return null;
  return (
    <section class="card" aria-labelledby="linked-title">
      <h2 id="linked-title">Linked accounts</h2>
      <Alert>{mine.error}</Alert>
      <Notice>{notice}</Notice>
      <ul class="plain">
        {(mine.data ?? []).map((i) => (
          <li key={i.provider_id}>
            <strong>{i.display_name}</strong>
            {i.email ? ` · ${i.email}` : ''} · linked <Time value={i.linked_at} />{' '}
            <button type="button" onClick={() => setUnlinking({ id: i.provider_id, name: i.display_name })}>
              Unlink
            </button>
          </li>
        ))}
      </ul>
      <div class="actions">
        {open.map((p) => (
          <button
            type="button"
            key={p.id}
            disabled={link.busy}
            onClick={() =>
              link.run(async () => {
                const { authorization_url } = await client.identities.link(p.id);
                window.location.assign(authorization_url);
              })
            }
          >
            Link {p.display_name}
          </button>
        ))}
      </div>
      <Alert>{link.error}</Alert>
      <ConfirmDialog
        open={unlinking !== null}
        title={`Unlink ${unlinking?.name ?? 'the account'}?`}
        confirm="Unlink"
        danger
        onClose={() => setUnlinking(null)}
        onConfirm={async () => {
          if (!unlinking) return;
          await client.identities.unlink(unlinking.id);
          setNotice(`${unlinking.name} unlinked.`);
          mine.reload();
        }}
      >
        <p>You will no longer sign in with it. Your last way to sign in cannot be removed.</p>
      </ConfirmDialog>
    </section>
  );
}
