import { useEffect, useRef } from 'preact/hooks';
import { WEBHOOK_EVENT_TYPES, type Webhook, type WebhookWithSecret } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert } from '../../components.js';
import { FormActions } from '../../lists.js';
import { useAction } from '../../hooks.js';
import { SecretField } from '../../secret-field.js';

type EventType = (typeof WEBHOOK_EVENT_TYPES)[number];
const CHOICES = WEBHOOK_EVENT_TYPES.filter((t) => t !== 'webhook.test');

/**
 * Adding (`webhook` null) or editing an endpoint: its URL, description, the event types it takes (none ticked: every
 * one) and whether it is enabled.
 */
export function WebhookForm({
  webhook,
  onCancel,
  onSaved,
}: {
  webhook: Webhook | null;
  onCancel: () => void;
  onSaved: (saved: Webhook | WebhookWithSecret) => void;
}) {
  const action = useAction();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const every = !webhook || webhook.event_types.includes('*');
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const picked = form.getAll('event_types').map(String) as EventType[];
    const body = {
      url: String(form.get('url') ?? '').trim(),
      description: String(form.get('description') ?? '').trim(),
      event_types: picked.length > 0 ? picked : (['*'] as ['*']),
      enabled: form.get('enabled') === 'on',
    };
    void action.run(async () => {
      onSaved(webhook ? await client.webhooks.update(webhook.id, body) : await client.webhooks.create(body));
    });
  };
  return (
    <section class="card" aria-labelledby="webhook-form-title">
      <h2 id="webhook-form-title">{webhook ? 'Edit endpoint' : 'New endpoint'}</h2>
      <form onSubmit={submit} class="grid-form">
        <div class="field">
          <label for="webhook-url">URL</label>
          <input
            ref={first}
            id="webhook-url"
            name="url"
            type="url"
            required
            maxLength={2000}
            defaultValue={webhook?.url ?? ''}
            aria-describedby="webhook-url-hint"
          />
          <span id="webhook-url-hint" class="hint">
            https; events are posted there, signed
          </span>
        </div>
        <div class="field">
          <label for="webhook-description">Description</label>
          <input
            id="webhook-description"
            name="description"
            maxLength={500}
            defaultValue={webhook?.description ?? ''}
          />
        </div>
        <fieldset class="field wide">
          <legend>Events (none ticked: every event)</legend>
          <div class="checks">
            {CHOICES.map((type) => (
              <label key={type} class="inline">
                <input
                  type="checkbox"
                  name="event_types"
                  value={type}
                  defaultChecked={!every && (webhook?.event_types ?? []).includes(type)}
                />{' '}
                <code>{type}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field inline">
          <input id="webhook-enabled" name="enabled" type="checkbox" defaultChecked={webhook?.enabled ?? true} />
          <label for="webhook-enabled">Enabled</label>
        </div>
        <FormActions submit={webhook ? 'Save' : 'Add'} busy={action.busy} onCancel={onCancel} />
      </form>
      <Alert>{action.error}</Alert>
    </section>
  );
}

/** A new or rotated signing secret, this once. */
export function SigningSecret({ created, onDone }: { created: WebhookWithSecret; onDone: () => void }) {
  return (
    <section class="card secret" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title">Signing secret for {created.url}</h2>
      <p>
        {created.secret === null
          ? 'This endpoint was made by an earlier attempt and its secret was shown then only: give it a new secret.'
          : "Copy the secret now: it is not shown again. Verify each delivery's signature with it."}
      </p>
      <SecretField
        id="webhook-secret"
        label="Signing secret"
        value={created.secret ?? ''}
        button="Copy secret"
        noun="secret"
      />
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
