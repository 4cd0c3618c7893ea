import { useEffect, useRef, useState } from 'preact/hooks';
import type { Role, RoleScope } from 'user-management-api-client';
import { client } from '../../api.js';
import { Alert } from '../../components.js';
import { useAction } from '../../hooks.js';
import { FormActions } from '../../lists.js';

export const SCOPE_LABELS: Record<RoleScope, string> = {
  global: 'Global (given to users)',
  organization: 'Organization (given to members)',
};

/** Permissions written one a line (commas and spaces separate too), deduplicated. */
export const permissionLines = (text: string): string[] => [
  ...new Set(
    text
      .split(/[\s,]+/)
      .map((p) => p.trim())
      .filter(Boolean),
  ),
];

/**
 * Creating (`role` null) or editing a role the team defines: name, description, permissions (one a line) and, on
 * creation only, its scope (it never changes afterwards).
 */
export function RoleForm({
  role,
  scope: initialScope,
  onCancel,
  onSaved,
}: {
  role: Role | null;
  scope: RoleScope;
  onCancel: () => void;
  onSaved: (saved: Role) => void;
}) {
  const action = useAction();
  const first = useRef<HTMLInputElement>(null);
  const [scope, setScope] = useState<RoleScope>(role?.scope ?? initialScope);
  useEffect(() => first.current?.focus(), []);
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const body = {
      name: text('name'),
      description: text('description'),
      permissions: permissionLines(text('permissions')),
    };
    void action.run(async () => {
      onSaved(role ? await client.roles.update(role.id, body) : await client.roles.create({ ...body, scope }));
    });
  };
  return (
    <section class="card" aria-labelledby="role-form-title">
      <h2 id="role-form-title">{role ? `Edit ${role.name}` : 'New role'}</h2>
      <form onSubmit={submit} class="grid-form">
        <div class="field">
          <label for="role-name">Name</label>
          <input
            id="role-name"
            ref={first}
            name="name"
            required
            maxLength={64}
            pattern="[A-Za-z0-9_.:\-]+"
            defaultValue={role?.name ?? ''}
            aria-describedby="role-name-hint"
          />
          <span id="role-name-hint" class="hint">
            Letters, digits and _ - . : (billing, support.agent)
          </span>
        </div>
        <div class="field">
          <label for="role-scope">Scope</label>
          <select
            id="role-scope"
            value={scope}
            disabled={role !== null}
            aria-describedby="role-scope-hint"
            onChange={(e) => setScope(e.currentTarget.value as RoleScope)}
          >
            {(Object.keys(SCOPE_LABELS) as RoleScope[]).map((s) => (
              <option key={s} value={s}>
                {SCOPE_LABELS[s]}
              </option>
            ))}
          </select>
          <span id="role-scope-hint" class="hint">
            {role ? 'A role’s scope never changes.' : 'Chosen once: it never changes afterwards.'}
          </span>
        </div>
        <div class="field wide">
          <label for="role-description">Description</label>
          <input id="role-description" name="description" maxLength={500} defaultValue={role?.description ?? ''} />
        </div>
        <div class="field wide">
          <label for="role-permissions">Permissions</label>
          <textarea
            id="role-permissions"
            name="permissions"
            rows={5}
            class="mono"
            defaultValue={role?.permissions.join('\n') ?? ''}
            aria-describedby="role-permissions-hint"
          />
          <span id="role-permissions-hint" class="hint">
            One a line, like invoices:read (up to 100). They reach your applications in tokens; they never grant access
            to Usher’s own API.
          </span>
        </div>
        <FormActions submit={role ? 'Save role' : 'Create role'} busy={action.busy} onCancel={onCancel} />
      </form>
      <Alert>{action.error}</Alert>
    </section>
  );
}
