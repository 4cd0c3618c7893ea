import { validationError } from '../errors.js';
import { ROLE_SCOPES, type RoleScope } from '../storage.roles.js';

/** What a team's role may hold (issue 28). */
export const ROLE_LIMITS = {
  nameMax: 64,
  descriptionMax: 500,
  permissionsMax: 100,
  permissionMax: 128,
} as const;

export const ROLE_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
export const PERMISSION = /^[A-Za-z0-9_.:*/-]{1,128}$/;

export const checkRoleName = (name: string): void => {
  if (!ROLE_NAME.test(name)) throw validationError({ name: 'name must be 1 to 64 letters, digits or _ - . :' });
};

export const checkScope = (scope: string): RoleScope => {
  if (!(ROLE_SCOPES as readonly string[]).includes(scope))
    throw validationError({ scope: `scope must be one of ${ROLE_SCOPES.join(', ')}` });
  return scope as RoleScope;
};

export const checkDescription = (description: string): void => {
  if (description.length > ROLE_LIMITS.descriptionMax)
    throw validationError({ description: `description must be at most ${ROLE_LIMITS.descriptionMax} characters` });
};

/** Permissions as stored: each checked, then deduplicated and sorted (so equal sets compare equal). */
export function normalPermissions(permissions: readonly string[]): string[] {
  const bad = permissions.find((p) => !PERMISSION.test(p));
  if (bad !== undefined)
    throw validationError({
      permissions: `"${bad.slice(0, 130)}" is not a permission: 1 to 128 of letters, digits and _ . : * / -`,
    });
  const unique = [...new Set(permissions)].sort();
  if (unique.length > ROLE_LIMITS.permissionsMax)
    throw validationError({ permissions: `at most ${ROLE_LIMITS.permissionsMax} permissions` });
  return unique;
}
