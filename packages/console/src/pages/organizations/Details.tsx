import { useState } from 'preact/hooks';
import type { Organization } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert } from '../../components.js';
import { useAction } from '../../hooks.js';
import { Field } from '../../lists.js';

const lines = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);

/** Name, slug, domains (one a line) and custom data (JSON): a form for admins, facts for moderators. */
export function Details({
  organization,
  admin,
  onSaved,
}: {
  organization: Organization;
  admin: boolean;
  onSaved: (saved: Organization) => void;
}) {
  const action = useAction();
  const [name, setName] = useState(organization.name);
  const [slug, setSlug] = useState(organization.slug);
  const [domains, setDomains] = useState(organization.domains.join('\n'));
  const [data, setData] = useState(JSON.stringify(organization.custom_data, null, 2));
  if (!admin)
    return (
      <section class="card" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl class="facts">
          <dt>Domains</dt>
          <dd>{organization.domains.join(', ') || 'None'}</dd>
          <dt>Custom data</dt>
          <dd>
            <code>{JSON.stringify(organization.custom_data)}</code>
          </dd>
        </dl>
      </section>
    );
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      let custom: Record<string, unknown>;
      try {
        custom = JSON.parse(data || '{}');
      } catch {
        throw new Error('Custom data must be a JSON object');
      }
      onSaved(
        await client.organizations.update(organization.id, {
          name: name.trim(),
          slug: slug.trim(),
          domains: lines(domains),
          custom_data: custom,
        }),
      );
    });
  };
  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <form onSubmit={submit} class="grid-form">
        <Field id="org-edit-name" label="Name" value={name} onValue={setName} required maxLength={100} />
        <Field id="org-edit-slug" label="Slug" value={slug} onValue={setSlug} required maxLength={64} />
        <div class="field">
          <label for="org-domains">Domains</label>
          <textarea
            id="org-domains"
            rows={3}
            value={domains}
            aria-describedby="org-domains-hint"
            onInput={(e) => setDomains(e.currentTarget.value)}
          />
          <span id="org-domains-hint" class="hint">
            One a line: email domains the organization owns (each belongs to one organization)
          </span>
        </div>
        <div class="field">
          <label for="org-data">Custom data (JSON)</label>
          <textarea id="org-data" rows={3} value={data} onInput={(e) => setData(e.currentTarget.value)} />
        </div>
        <Alert>{action.error}</Alert>
        <div class="actions wide">
          <button type="submit" class="primary" disabled={action.busy}>
            Save details
          </button>
        </div>
      </form>
    </section>
  );
}
