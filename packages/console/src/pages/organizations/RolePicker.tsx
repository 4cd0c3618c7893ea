import type { Role } from 'user-management-api-client';
import { Link, href } from '../../router.js';

/**
 * The organization roles (scope `organization`) as ticks: what a member or an invitation is given. With none defined
 * yet, a pointer to the Roles page.
 */
export function RolePicker({
  id,
  legend,
  roles,
  value,
  onChange,
}: {
  id: string;
  legend: string;
  roles: Role[];
  value: string[];
  onChange: (names: string[]) => void;
}) {
  return (
    <fieldset class="field role-picker" id={id}>
      <legend>{legend}</legend>
      {roles.length === 0 ? (
        <span class="hint">
          No organization roles yet: <Link to={href('/roles', { scope: 'organization' })}>create them on Roles</Link>.
        </span>
      ) : (
        <div class="checks">
          {roles.map((r) => (
            <label key={r.id} class="inline" title={r.description || undefined}>
              <input
                type="checkbox"
                checked={value.includes(r.name)}
                onChange={(e) =>
                  onChange(e.currentTarget.checked ? [...value, r.name] : value.filter((name) => name !== r.name))
                }
              />{' '}
              {r.name}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
