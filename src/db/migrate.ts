import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';
import * as initial from './migrations/0001-initial.js';
import * as searchIndex from './migrations/0002-search-index.js';
import * as searchVocabulary from './migrations/0003-search-vocabulary.js';
import * as security from './migrations/0004-security.js';
import * as auditIdempotency from './migrations/0005-audit-idempotency.js';
import * as accountFlows from './migrations/0006-account-flows.js';
import * as keyLinks from './migrations/0007-key-links.js';
import * as idempotencyCallers from './migrations/0008-idempotency-callers.js';
import * as refreshGrace from './migrations/0009-refresh-grace.js';
import * as signingKeys from './migrations/0010-signing-keys.js';
import * as applications from './migrations/0011-applications.js';
import * as oidc from './migrations/0012-oidc.js';
import * as signInMethods from './migrations/0013-sign-in-methods.js';
import * as webhooks from './migrations/0014-webhooks.js';
import * as activityStats from './migrations/0015-activity-stats.js';
import * as rolesCustomData from './migrations/0016-roles-custom-data.js';
import * as organizations from './migrations/0017-organizations.js';
import * as scim from './migrations/0018-scim.js';
import * as organizationSso from './migrations/0019-organization-sso.js';
import * as mfaChallengeOrganization from './migrations/0020-mfa-challenge-organization.js';
import * as organizationMembersOrder from './migrations/0021-organization-members-order.js';

// Migrations are imported, not read from a folder, so they run the same under tsx, tests and bundles.
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-search-index': searchIndex,
  '0003-search-vocabulary': searchVocabulary,
  '0004-security': security,
  '0005-audit-idempotency': auditIdempotency,
  '0006-account-flows': accountFlows,
  '0007-key-links': keyLinks,
  '0008-idempotency-callers': idempotencyCallers,
  '0009-refresh-grace': refreshGrace,
  '0010-signing-keys': signingKeys,
  '0011-applications': applications,
  '0012-oidc': oidc,
  '0013-sign-in-methods': signInMethods,
  '0014-webhooks': webhooks,
  '0015-activity-stats': activityStats,
  '0016-roles-custom-data': rolesCustomData,
  '0017-organizations': organizations,
  '0018-scim': scim,
  '0019-organization-sso': organizationSso,
  '0020-mfa-challenge-organization': mfaChallengeOrganization,
  '0021-organization-members-order': organizationMembersOrder,
};

/** Every migration's name, in order. */
export const MIGRATIONS = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema up to date. Kysely's migrator takes a lock first (an
 * advisory lock on PostgreSQL), so instances starting together do not race.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // On PostgreSQL the bookkeeping tables go in the schema the connection works in
  // (search_path), not whichever schema first has a table of that name.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  // Names compare as plain strings: Kysely's default, localeCompare, builds an ICU collator on first
  // use, 30 ms of every start. The names are ASCII and numbered, so the order is the same.
  const migrator = new Migrator({
    db,
    provider,
    migrationTableSchema,
    nameComparator: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (attempt >= 5 || !catalogRace(error)) throw error instanceof Error ? error : new Error(String(error));
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}

/**
 * Before it migrates, Kysely's migrator looks for its own tables by reading the
 * catalog of every schema in the database; on PostgreSQL that read fails when
 * another schema is created, altered or dropped meanwhile (another application
 * in a shared database, or test files each in their own schema): an undefined
 * schema, table or column (3F000, 42P01, 42703). Nothing was migrated then (a
 * migration runs in a transaction), so the whole step is tried again.
 */
const catalogRace = (error: unknown): boolean =>
  ['3F000', '42P01', '42703'].includes((error as { code?: string } | null)?.code ?? '');
