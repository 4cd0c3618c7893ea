import { useState } from 'preact/hooks';
import type { Organization, OrganizationInvitation, Role } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert, Badge, Notice, Time } from '../../components.js';
import { useAction, useResource } from '../../hooks.js';
import { ConfirmOn, Field, ListTable } from '../../lists.js';
import { RolePicker } from './RolePicker.js';

/** Invitations: admins send (a mail with a code and a link) and revoke; everyone here reads the list. */
export function Invitations({
  organization,
  admin,
  roleChoices,
}: {
  organization: Organization;
  admin: boolean;
  roleChoices: Role[];
}) {
  const list = useResource(() => client.organizations.invitations(organization.id, { limit: 100 }), [organization.id]);
  const send = useAction();
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [revoking, setRevoking] = useState<OrganizationInvitation | null>(null);
  const [notice, setNotice] = useState('');
  const rows = list.data?.data ?? [];
  return (
    <section class="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      {admin && (
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            void send.run(async () => {
              const sent = await client.organizations.invite(organization.id, { email: email.trim(), roles });
              setNotice(`Invitation mailed to ${sent.email}.`);
              setEmail('');
              list.reload();
            });
          }}
        >
          <Field id="invite-email" label="Email to invite" type="email" value={email} onValue={setEmail} required />
          <RolePicker
            id="invite-roles"
            legend="Roles on joining (optional)"
            roles={roleChoices}
            value={roles}
            onChange={setRoles}
          />
          <button type="submit" class="primary" disabled={send.busy}>
            Send invitation
          </button>
        </form>
      )}
      <Alert>{list.error || send.error}</Alert>
      <Notice>{notice}</Notice>
      {list.data && (
        <ListTable
          caption="Invitations"
          columns={['Email', 'Status', 'Expires', 'Sent']}
          actions={admin}
          busy={list.loading}
          empty={rows.length === 0 && 'No invitations yet.'}
        >
          {rows.map((i) => (
            <tr key={i.id}>
              <td>{i.email}</td>
              <td>
                <Badge kind={i.status === 'pending' ? 'pending' : i.status === 'accepted' ? 'active' : 'inactive'}>
                  {i.status}
                </Badge>
              </td>
              <td>
                <Time value={i.expires_at} />
              </td>
              <td>
                <Time value={i.created_at} />
              </td>
              {admin && (
                <td>
                  {(i.status === 'pending' || i.status === 'expired') && (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke invitation of ${i.email}`}
                      onClick={() => setRevoking(i)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </ListTable>
      )}
      <ConfirmOn
        item={revoking}
        title={(i) => `Revoke the invitation of ${i.email}?`}
        confirm="Revoke"
        onClose={() => setRevoking(null)}
        onConfirm={async (i) => {
          await client.organizations.revokeInvitation(organization.id, i.id);
          setNotice(`Invitation of ${i.email} revoked.`);
          list.reload();
        }}
      >
        <p>Its code stops working at once.</p>
      </ConfirmOn>
    </section>
  );
}
