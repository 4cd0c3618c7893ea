import type { Kysely } from 'kysely';

/**
 * A login's second-factor challenge keeps the organization the login asked for (`organization_id` at
 * /api/v1/auth/login, issue 28), so the tokens of the verify step carry that organization's claims. No foreign key:
 * a challenge lives five minutes, and the verify step checks membership afresh (an organization deleted meanwhile
 * is no membership).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mfa_challenges').addColumn('organization_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mfa_challenges').dropColumn('organization_id').execute();
}
