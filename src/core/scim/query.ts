import type { AttrPath, CompareOp, Filter, Value } from './filter.js';
import { invalidFilter } from './scim-errors.js';

/**
 * A parsed filter checked against one resource type and turned into a Query:
 * comparisons of known columns with normalised string values (lower-cased
 * where RFC 7643 says caseExact false), constants, and `active`. The store
 * builds SQL from it with bound values only; anything the resource cannot
 * answer is invalidFilter here, before any query runs.
 */
export type UserColumn =
  | 'userName'
  | 'externalId'
  | 'id'
  | 'givenName'
  | 'familyName'
  | 'email'
  | 'created'
  | 'lastModified';
export type GroupColumn = 'displayName' | 'externalId' | 'id' | 'created' | 'lastModified';

export type Query<C extends string> =
  | { kind: 'and' | 'or'; left: Query<C>; right: Query<C> }
  | { kind: 'not'; query: Query<C> }
  | { kind: 'const'; value: boolean }
  | { kind: 'present'; column: C }
  | { kind: 'compare'; op: Exclude<CompareOp, 'ne'>; column: C; value: string }
  | { kind: 'active'; value: boolean };

interface ColumnRule<C> {
  column: C;
  /** caseExact false: compared on lower-cased keys. */
  folded: boolean;
  /** Always present (pr is true). */
  required: boolean;
  date?: boolean;
}

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:user';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:group';

const USER_COLUMNS: Record<string, ColumnRule<UserColumn>> = {
  username: { column: 'userName', folded: true, required: true },
  externalid: { column: 'externalId', folded: false, required: false },
  id: { column: 'id', folded: false, required: true },
  'name.givenname': { column: 'givenName', folded: true, required: false },
  'name.familyname': { column: 'familyName', folded: true, required: false },
  'emails.value': { column: 'email', folded: true, required: true },
  emails: { column: 'email', folded: true, required: true },
  'meta.created': { column: 'created', folded: false, required: true, date: true },
  'meta.lastmodified': { column: 'lastModified', folded: false, required: true, date: true },
};

const GROUP_COLUMNS: Record<string, ColumnRule<GroupColumn>> = {
  displayname: { column: 'displayName', folded: true, required: true },
  externalid: { column: 'externalId', folded: false, required: false },
  id: { column: 'id', folded: false, required: true },
  'meta.created': { column: 'created', folded: false, required: true, date: true },
  'meta.lastmodified': { column: 'lastModified', folded: false, required: true, date: true },
};

const keyOf = (a: AttrPath) => (a.sub === undefined ? a.name : `${a.name}.${a.sub}`);
const shown = (a: AttrPath) => (a.sub === undefined ? a.name : `${a.name}.${a.sub}`);

function stringValue(value: Value, rule: ColumnRule<unknown>, attr: AttrPath): string {
  if (typeof value !== 'string') throw invalidFilter(`${shown(attr)} is compared with a string`);
  if (!rule.date) return rule.folded ? value.toLowerCase() : value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalidFilter(`${shown(attr)} is compared with a date-time`);
  return new Date(ms).toISOString();
}

function comparison<C>(op: CompareOp | 'pr', rule: ColumnRule<C>, attr: AttrPath, value: Value): Query<C & string> {
  const column = rule.column as C & string;
  if (op === 'pr') return rule.required ? { kind: 'const', value: true } : { kind: 'present', column };
  if (value === null) {
    // eq null: absent; ne null: present (RFC 7644 3.4.2.2 leaves it open; this is what clients mean).
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`${shown(attr)} ${op} null is not a comparison`);
    const present: Query<C & string> = rule.required ? { kind: 'const', value: true } : { kind: 'present', column };
    return op === 'ne' ? present : { kind: 'not', query: present };
  }
  if (rule.date && (op === 'co' || op === 'sw' || op === 'ew'))
    throw invalidFilter(`${shown(attr)} takes eq, ne, gt, ge, lt or le`);
  const text = stringValue(value, rule, attr);
  if (op === 'ne') return { kind: 'not', query: { kind: 'compare', op: 'eq', column, value: text } };
  return { kind: 'compare', op, column, value: text };
}

function toQuery<C extends string>(
  f: Filter,
  columns: Record<string, ColumnRule<C>>,
  schema: string,
  within?: string,
): Query<C> {
  switch (f.op) {
    case 'and':
    case 'or':
      return {
        kind: f.op,
        left: toQuery(f.left, columns, schema, within),
        right: toQuery(f.right, columns, schema, within),
      };
    case 'not':
      return { kind: 'not', query: toQuery(f.filter, columns, schema, within) };
    case 'value': {
      if (within !== undefined || f.attr.sub !== undefined) throw invalidFilter('Value filters do not nest');
      return toQuery(f.filter, columns, schema, f.attr.name);
    }
  }
  const attr: AttrPath = within === undefined ? f.attr : { name: within, sub: f.attr.name };
  if (f.attr.schema !== undefined && f.attr.schema !== schema)
    throw invalidFilter(`Filtering on ${f.attr.schema} is not supported`);
  const key = keyOf(attr);
  const value = f.op === 'pr' ? null : f.value;
  // Usher holds one address per user: it is the primary, of type "work".
  if (
    columns === (USER_COLUMNS as unknown) &&
    attr.name === 'emails' &&
    (attr.sub === 'type' || attr.sub === 'primary')
  )
    return emailConstant(f.op, attr, value);
  if (columns === (USER_COLUMNS as unknown) && key === 'active') return activeQuery(f.op, value) as Query<C>;
  const rule = columns[key];
  if (!rule) throw invalidFilter(`Filtering on "${shown(attr)}" is not supported`);
  return comparison(f.op, rule, attr, value) as Query<C>;
}

function emailConstant<C extends string>(op: CompareOp | 'pr', attr: AttrPath, value: Value): Query<C> {
  const actual = attr.sub === 'type' ? 'work' : true;
  if (op === 'pr') return { kind: 'const', value: true };
  if (op !== 'eq' && op !== 'ne') throw invalidFilter(`emails.${attr.sub} takes eq or ne`);
  const same =
    typeof value === 'string' && typeof actual === 'string' ? value.toLowerCase() === actual : value === actual;
  return { kind: 'const', value: op === 'eq' ? same : !same };
}

function activeQuery(op: CompareOp | 'pr', value: Value): Query<UserColumn> {
  if (op === 'pr') return { kind: 'const', value: true };
  const flag = typeof value === 'string' ? value.toLowerCase() : value;
  if ((op !== 'eq' && op !== 'ne') || (flag !== true && flag !== false && flag !== 'true' && flag !== 'false'))
    throw invalidFilter('active takes eq or ne with true or false');
  const wanted = flag === true || flag === 'true';
  return { kind: 'active', value: op === 'eq' ? wanted : !wanted };
}

export const userQuery = (f: Filter): Query<UserColumn> => toQuery(f, USER_COLUMNS, CORE_USER);
export const groupQuery = (f: Filter): Query<GroupColumn> => toQuery(f, GROUP_COLUMNS, CORE_GROUP);
