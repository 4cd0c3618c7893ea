import { sql } from 'kysely';
import { uuidv7 } from '../src/core/ids.js';
import { createDatabase } from '../src/db/database.js';

/**
 * The organizations section's data (issue 28), written straight into the tables after the users' bulk load:
 * organizations with a skewed number of members, organization roles with permissions, global roles.
 *
 * The skew (written down in BENCHMARKS.md too): most companies on a B2B product are small and a few are huge, so
 * 2 organizations have 10,000 members each, 20 have 1,000, and the rest (978 of 1,000) have 60: about 98,700
 * memberships, ~99 an organization on average. Members are drawn at random from all users, so one user may belong to
 * several organizations. Each member holds one or two of 5 organization roles (`member` always; every 10th also
 * `admin`, every 25th `billing`); every 5th user holds one of 3 global roles. Each role carries 4 to 12 permissions.
 * Members joined over the last year, so the members page's order (newest first) is realistic.
 */
export interface OrgShape {
  organizations: number;
  large: { count: number; members: number };
  medium: { count: number; members: number };
  small: number;
}

export const FULL_SHAPE: OrgShape = {
  organizations: 1000,
  large: { count: 2, members: 10_000 },
  medium: { count: 20, members: 1000 },
  small: 60,
};
export const QUICK_SHAPE: OrgShape = {
  organizations: 20,
  large: { count: 1, members: 500 },
  medium: { count: 2, members: 100 },
  small: 20,
};

export interface SeededOrgs {
  memberships: number;
  large: Org;
  small: Org;
}
export interface Org {
  id: string;
  members: number;
  /** Active members (who can log in): their usernames and ids. */
  active: Array<{ id: string; username: string }>;
}

const verbs = ['read', 'write', 'delete', 'approve'];
const nouns = ['invoices', 'projects', 'reports', 'members', 'billing', 'documents', 'tickets', 'settings'];
const permissions = (n: number, offset: number) =>
  Array.from(
    { length: n },
    (_, i) => `${nouns[(i + offset) % nouns.length]}:${verbs[Math.floor(i / nouns.length + offset) % verbs.length]}`,
  );

async function insertAll<T extends Record<string, unknown>>(
  db: any,
  table: string,
  rows: T[],
  per = 400,
): Promise<void> {
  for (let i = 0; i < rows.length; i += per)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + per))
      .execute();
}

export async function seedOrganizations(url: string, shape: OrgShape, seed = 28): Promise<SeededOrgs> {
  const database = createDatabase(url, { poolSize: 4 });
  // mulberry32 (32-bit integer steps, no float overflow): the same data on every run.
  let rand = seed >>> 0;
  const random = () => {
    rand = (rand + 0x6d2b79f5) >>> 0;
    let t = rand;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  try {
    const db = database.db as any;
    const users = (await db.selectFrom('users').select(['id', 'username', 'status']).execute()) as Array<{
      id: string;
      username: string;
      status: string;
    }>;
    const now = new Date().toISOString();
    const role = (name: string, scope: string, n: number, offset: number) => ({
      id: uuidv7(),
      name,
      description: `${name} (bench)`,
      permissions: JSON.stringify(permissions(n, offset)),
      scope,
      created_at: now,
      updated_at: now,
    });
    const orgRoles = ['member', 'admin', 'billing', 'viewer', 'owner'].map((n, i) =>
      role(`org_${n}`, 'organization', 4 + 2 * i, i),
    );
    const globalRoles = ['staff', 'support', 'auditor'].map((n, i) => role(`global_${n}`, 'global', 6 + 3 * i, i + 3));
    await insertAll(db, 'roles', [...orgRoles, ...globalRoles]);
    await insertAll(
      db,
      'user_roles',
      users
        .filter((_, i) => i % 5 === 0)
        .map((u, i) => ({ user_id: u.id, role_id: globalRoles[i % 3]!.id, created_at: now })),
    );

    const sizes = Array.from({ length: shape.organizations }, (_, i) =>
      i < shape.large.count
        ? shape.large.members
        : i < shape.large.count + shape.medium.count
          ? shape.medium.members
          : shape.small,
    );
    const orgs = sizes.map((_, i) => ({
      id: uuidv7(Date.now() - (shape.organizations - i) * 1000),
      name: `Company ${i}`,
      name_key: `company ${i}`,
      slug: `company-${i}`,
      domains: '[]',
      custom_data: null,
      created_at: now,
      updated_at: now,
    }));
    await insertAll(db, 'organizations', orgs);

    const yearMs = 365 * 86_400_000;
    let memberships = 0;
    const picked: Org[] = [];
    for (let o = 0; o < orgs.length; o++) {
      const chosen = new Set<number>();
      while (chosen.size < Math.min(sizes[o]!, users.length)) chosen.add(Math.floor(random() * users.length));
      const members: Array<Record<string, unknown>> = [];
      const roles: Array<Record<string, unknown>> = [];
      let k = 0;
      for (const u of chosen) {
        const user = users[u]!;
        members.push({
          organization_id: orgs[o]!.id,
          user_id: user.id,
          created_at: new Date(Date.now() - Math.floor(random() * yearMs)).toISOString(),
        });
        roles.push({ organization_id: orgs[o]!.id, user_id: user.id, role_id: orgRoles[0]!.id });
        if (k % 10 === 0) roles.push({ organization_id: orgs[o]!.id, user_id: user.id, role_id: orgRoles[1]!.id });
        if (k % 25 === 0) roles.push({ organization_id: orgs[o]!.id, user_id: user.id, role_id: orgRoles[2]!.id });
        k++;
      }
      await database.db.transaction().execute(async (trx) => {
        await insertAll(trx, 'organization_members', members);
        await insertAll(trx, 'organization_member_roles', roles);
      });
      memberships += members.length;
      // The first organization is a large one, the last a small one.
      if (o === 0 || o === orgs.length - 1)
        picked.push({
          id: orgs[o]!.id,
          members: members.length,
          active: [...chosen]
            .map((u) => users[u]!)
            .filter((u) => u.status === 'active')
            .slice(0, 200)
            .map((u) => ({ id: u.id, username: u.username })),
        });
    }
    // PostgreSQL's autovacuum would analyze after a load this size; SQLite's statistics come from the server's own
    // `pragma optimize` at start, as in production.
    if (url.startsWith('postgres')) await sql`analyze`.execute(database.db);
    return { memberships, large: picked[0]!, small: picked[1]! };
  } finally {
    await database.close();
  }
}
