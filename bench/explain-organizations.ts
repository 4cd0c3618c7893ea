import { sql } from 'kysely';
import { createDatabase } from '../src/db/database.js';
import { FULL_SHAPE, QUICK_SHAPE, seedOrganizations } from './organizations-seed.js';
import { seededDatabase } from './setup.js';

/**
 * The plans behind the organizations section: seeds the section's data (100k users, 1,000 organizations; `quick`
 * for 2,000 and 20) and prints EXPLAIN (SQLite: QUERY PLAN; PostgreSQL: ANALYZE) for the members page of the largest
 * organization (first page, deep cursor, search) and the permission resolution, the queries of
 * src/storage/organization.store.ts memberPage and src/storage/role.store.ts grants.
 * Usage: node --import tsx bench/explain-organizations.ts sqlite|postgres [quick] [before]
 * (`before`: without migration 0021's index, the plans it replaced).
 */
const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const quick = process.argv.includes('quick');
const before = process.argv.includes('before');
const bench = await seededDatabase(dialect, quick ? 2000 : 100_000, () => {});
try {
  const orgs = await seedOrganizations(bench.url, quick ? QUICK_SHAPE : FULL_SHAPE);
  const database = createDatabase(bench.url, { poolSize: 2 });
  const db = database.db;
  if (before) await db.schema.dropIndex('organization_members_joined').execute();
  if (dialect === 'sqlite') await sql`pragma optimize = 0x10002`.execute(db);
  const org = orgs.large.id;
  const user = orgs.large.active[0]!.id;
  const middle = await db
    .selectFrom('organization_members')
    .select(['created_at', 'user_id'])
    .where('organization_id', '=', org)
    .orderBy('created_at', 'desc')
    .orderBy('user_id', 'desc')
    .offset(Math.floor(orgs.large.members / 2))
    .limit(1)
    .executeTakeFirstOrThrow();
  const members = () =>
    db
      .selectFrom('organization_members as om')
      .innerJoin('users as u', 'u.id', 'om.user_id')
      .select(['om.user_id', 'om.created_at', 'u.username', 'u.email', 'u.first_name', 'u.last_name', 'u.status'])
      .where('u.deleted_at', 'is', null)
      .where('om.organization_id', '=', org);
  const page = (q: ReturnType<typeof members>, limit: number) =>
    q.orderBy('om.created_at', 'desc').orderBy('om.user_id', 'desc').limit(limit);
  const queries = {
    'members, first page': page(members(), 21),
    'members, deep cursor': page(
      before
        ? members().where((eb) =>
            eb.or([
              eb('om.created_at', '<', middle.created_at),
              eb.and([eb('om.created_at', '=', middle.created_at), eb('om.user_id', '<', middle.user_id)]),
            ]),
          )
        : members().where((eb) =>
            eb(eb.refTuple('om.created_at', 'om.user_id'), '<', eb.tuple(middle.created_at, middle.user_id)),
          ),
      101,
    ),
    'members, search': page(members().where(sql<boolean>`u.search_text like ${'%smith%'} escape '\\'`), 21),
    'grants (permissions)': db
      .selectFrom('user_roles as ur')
      .innerJoin('roles as r', 'r.id', 'ur.role_id')
      .select([sql<string>`'g'`.as('kind'), 'r.name', 'r.permissions'])
      .where('ur.user_id', '=', user)
      .where('r.scope', '=', 'global')
      .unionAll(
        db
          .selectFrom('organization_member_roles as mr')
          .innerJoin('roles as r', 'r.id', 'mr.role_id')
          .select([sql<string>`'o'`.as('kind'), 'r.name', 'r.permissions'])
          .where('mr.user_id', '=', user)
          .where('mr.organization_id', '=', org)
          .where('r.scope', '=', 'organization'),
      ),
  };
  for (const [name, query] of Object.entries(queries)) {
    const compiled = query.compile();
    const explain = dialect === 'sqlite' ? 'explain query plan ' : 'explain (analyze, buffers off, costs off) ';
    const rows = await db.executeQuery({ ...compiled, sql: explain + compiled.sql } as any);
    console.log(`\n### ${name}`);
    for (const r of rows.rows as any[]) console.log(dialect === 'sqlite' ? `  ${r.detail}` : `  ${r['QUERY PLAN']}`);
  }
  await database.close();
} finally {
  await bench.drop();
}
