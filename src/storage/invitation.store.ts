import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Invitation } from '../core/organizations/organization.types.js';
import type { InvitationStore } from '../core/storage.js';
import type { OrganizationInvitationsTable } from '../db/schema.organizations.js';
import type { Schema } from '../db/schema.js';
import type { StoreContext } from './store-context.js';

/** organization_invitations (migration 0017): the code only as its hash, never read back but to compare. */

const COLUMNS = [
  'id',
  'organization_id',
  'email',
  'roles',
  'invited_by',
  'expires_at',
  'accepted_at',
  'accepted_by',
  'revoked_at',
  'created_at',
] as const;

const toInvitation = (r: Omit<OrganizationInvitationsTable, 'code_hash' | 'email_key'>): Invitation => ({
  id: r.id,
  organizationId: r.organization_id,
  email: r.email,
  roles: JSON.parse(r.roles) as string[],
  invitedBy: r.invited_by,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  acceptedBy: r.accepted_by,
  revokedAt: r.revoked_at,
  createdAt: r.created_at,
});

type Eb = ExpressionBuilder<Schema, 'organization_invitations'>;
const open = (eb: Eb): Expression<SqlBool> => eb.and([eb('accepted_at', 'is', null), eb('revoked_at', 'is', null)]);

export function invitationStore({ db }: StoreContext): InvitationStore {
  return {
    async insert(i) {
      await db
        .insertInto('organization_invitations')
        .values({
          id: i.id,
          organization_id: i.organizationId,
          email: i.email,
          email_key: i.email.toLowerCase(),
          roles: JSON.stringify(i.roles),
          code_hash: i.codeHash,
          invited_by: i.invitedBy,
          expires_at: i.expiresAt,
          accepted_at: null,
          accepted_by: null,
          revoked_at: null,
          created_at: i.createdAt,
        })
        .execute();
    },
    async find(organizationId, id) {
      const row = await db
        .selectFrom('organization_invitations')
        .select(COLUMNS)
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toInvitation(row);
    },
    async page({ organizationId, status, beforeId, limit, now }) {
      let query = db
        .selectFrom('organization_invitations')
        .select(COLUMNS)
        .where('organization_id', '=', organizationId);
      if (status === 'accepted') query = query.where('accepted_at', 'is not', null);
      else if (status === 'revoked') query = query.where('accepted_at', 'is', null).where('revoked_at', 'is not', null);
      else if (status === 'pending') query = query.where(open).where('expires_at', '>', now);
      else if (status === 'expired') query = query.where(open).where('expires_at', '<=', now);
      if (beforeId !== undefined) query = query.where('id', '<', beforeId);
      return (await query.orderBy('id', 'desc').limit(limit).execute()).map(toInvitation);
    },
    async pendingFor(emailKey, now) {
      const rows = await db
        .selectFrom('organization_invitations')
        .select([...COLUMNS, 'code_hash'])
        .where('email_key', '=', emailKey)
        .where(open)
        .where('expires_at', '>', now)
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      return rows.map((r) => ({ ...toInvitation(r), codeHash: r.code_hash }));
    },
    async accept(id, userId, at) {
      const result = await db
        .updateTable('organization_invitations')
        .set({ accepted_at: at, accepted_by: userId })
        .where('id', '=', id)
        .where(open)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async revoke(id, at) {
      const result = await db
        .updateTable('organization_invitations')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where(open)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
