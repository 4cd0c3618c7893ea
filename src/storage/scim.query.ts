import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Query } from '../core/scim/query.js';
import type { Dialect } from '../db/database.js';

/**
 * A checked SCIM query (core/scim/query.ts) as a SQL condition: every value a
 * bound parameter, every column one of `columns`. `x is not null and …`
 * keeps `not` meaning "not matched" for absent values too.
 */
export function conditionOf<C extends string>(
  q: Query<C>,
  columns: Record<C, Expression<unknown>>,
  active: Expression<SqlBool> | undefined,
  dialect: Dialect,
): RawBuilder<SqlBool> {
  const recur = (x: Query<C>) => conditionOf(x, columns, active, dialect);
  switch (q.kind) {
    case 'and':
      return sql<SqlBool>`(${recur(q.left)} and ${recur(q.right)})`;
    case 'or':
      return sql<SqlBool>`(${recur(q.left)} or ${recur(q.right)})`;
    case 'not':
      return sql<SqlBool>`(not ${recur(q.query)})`;
    case 'const':
      return q.value ? sql<SqlBool>`(1 = 1)` : sql<SqlBool>`(1 = 0)`;
    case 'active':
      if (!active) return sql<SqlBool>`(1 = 0)`;
      return q.value ? sql<SqlBool>`(${active})` : sql<SqlBool>`(not ${active})`;
    case 'present':
      return sql<SqlBool>`(${columns[q.column]} is not null)`;
  }
  const col = columns[q.column];
  const v = q.value;
  const n = [...v].length;
  let test: RawBuilder<SqlBool>;
  switch (q.op) {
    case 'eq':
      test = sql`${col} = ${v}`;
      break;
    case 'co':
      test = dialect === 'postgres' ? sql`strpos(${col}, ${v}) > 0` : sql`instr(${col}, ${v}) > 0`;
      break;
    case 'sw':
      test = sql`substr(${col}, 1, ${n}) = ${v}`;
      break;
    case 'ew':
      test = sql`length(${col}) >= ${n} and substr(${col}, length(${col}) - ${n} + 1) = ${v}`;
      break;
    case 'gt':
      test = sql`${col} > ${v}`;
      break;
    case 'ge':
      test = sql`${col} >= ${v}`;
      break;
    case 'lt':
      test = sql`${col} < ${v}`;
      break;
    case 'le':
      test = sql`${col} <= ${v}`;
      break;
  }
  return sql<SqlBool>`(${col} is not null and ${test})`;
}

/**
 * In SCIM's members query (`m` the membership, `u` the user): the user's address is at one of the organization's
 * domains (organization_domains, set by an admin). Another member (an invited person's own address) is not the
 * directory's: it could re-point the address, then reset the password (review of issue 28).
 */
export const atOrganizationDomain: RawBuilder<SqlBool> = sql<SqlBool>`exists (select 1 from organization_domains d
  where d.organization_id = m.organization_id and length(u.email_key) > length(d.domain)
  and substr(u.email_key, length(u.email_key) - length(d.domain)) = '@' || d.domain)`;
