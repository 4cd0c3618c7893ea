import { type EffectivePermissions, allPermissions } from '../../core/roles/permissions.js';
import type { TeamRole } from '../../core/storage.js';

/** Roles and effective permissions in the /api/v1 wire format (also the CLI's). */
export const roleV1 = (r: TeamRole) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  scope: r.scope,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export const permissionsV1 = (p: EffectivePermissions, organizationId?: string) => ({
  roles: p.roles,
  permissions: allPermissions(p),
  ...(organizationId !== undefined && {
    organization_id: organizationId,
    organization_roles: p.organization?.roles ?? [],
    organization_permissions: p.organization?.permissions ?? [],
  }),
});
