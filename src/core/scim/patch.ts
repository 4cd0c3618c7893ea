import { type Filter, attrPathOf, parseFilter } from './filter.js';
import { ENTERPRISE_SCHEMA, type Json, USER_SCHEMA, field, isObject } from './user-resource.js';
import { invalidPath, invalidValue, scimError } from './scim-errors.js';

/**
 * RFC 7644 3.5.2 PATCH over a resource's JSON: `add`, `replace`, `remove`
 * (in any case: Entra sends `Replace`), with a path (`name.givenName`,
 * `emails[type eq "work"].value`, `members[value eq "…"]`, a schema URN
 * prefix) or without one (`value` an object of attributes, whose keys may be
 * paths too, as Entra sends `{"name.givenName": "X"}`). The caller reads the
 * patched resource as a replacement.
 */
export const MAX_OPERATIONS = 100;
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

export interface Path {
  /** The URN of the extension the attribute is in, or undefined for the core schema. */
  extension?: string;
  name: string;
  filter?: Filter;
  sub?: string;
}

/** The body of a PATCH → its operations; invalidSyntax/invalidValue when malformed. */
export function patchOps(body: unknown): PatchOp[] {
  if (!isObject(body)) throw scimError('invalidSyntax', 'The body must be a JSON object');
  const schemas = field(body, 'schemas');
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.includes(PATCH_SCHEMA)))
    throw scimError('invalidSyntax', `schemas must name ${PATCH_SCHEMA}`);
  const ops = field(body, 'Operations');
  if (!Array.isArray(ops) || ops.length === 0) throw scimError('invalidSyntax', 'Operations must be a non-empty array');
  if (ops.length > MAX_OPERATIONS) throw scimError('tooMany', `At most ${MAX_OPERATIONS} operations per PATCH`);
  return ops.map((o, i) => {
    if (!isObject(o)) throw scimError('invalidSyntax', `Operations[${i}] must be an object`);
    const op = String(field(o, 'op') ?? '').toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw scimError('invalidSyntax', `Operations[${i}].op must be add, replace or remove`);
    const path = field(o, 'path');
    if (path !== undefined && (typeof path !== 'string' || path.length > 1024))
      throw invalidPath(`Operations[${i}].path must be a string`);
    if (op === 'remove' && path === undefined) throw scimError('noTarget', `Operations[${i}]: remove needs a path`);
    const value = field(o, 'value');
    if (op !== 'remove' && value === undefined) throw invalidValue(`Operations[${i}]: ${op} needs a value`);
    return { op, ...(path !== undefined && { path }), ...(value !== undefined && { value }) } as PatchOp;
  });
}

/** `urn:…:User:name.givenName`, `emails[type eq "work"].value`, `members[value eq "x"]` → its parts. */
export function parsePath(path: string): Path {
  let rest = path.trim();
  let extension: string | undefined;
  const lower = rest.toLowerCase();
  for (const urn of [USER_SCHEMA, ENTERPRISE_SCHEMA, 'urn:ietf:params:scim:schemas:core:2.0:Group']) {
    if (lower === urn.toLowerCase()) return { name: '', extension: urn === ENTERPRISE_SCHEMA ? urn : undefined };
    if (lower.startsWith(`${urn.toLowerCase()}:`)) {
      extension = urn === ENTERPRISE_SCHEMA ? urn : undefined;
      rest = rest.slice(urn.length + 1);
      break;
    }
  }
  const open = rest.indexOf('[');
  let filter: Filter | undefined;
  if (open >= 0) {
    const close = rest.lastIndexOf(']');
    if (close < open) throw invalidPath(`"${path.slice(0, 100)}" is not a path`);
    try {
      filter = parseFilter(rest.slice(open + 1, close));
    } catch {
      throw invalidPath(`The filter in "${path.slice(0, 100)}" is not valid`);
    }
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith('.')) throw invalidPath(`"${path.slice(0, 100)}" is not a path`);
    rest = rest.slice(0, open) + after;
  }
  let attr: ReturnType<typeof attrPathOf>;
  try {
    // Checked by the filter grammar's rule, but kept in the case it was written: a new attribute is named as sent.
    attrPathOf(rest);
    const [name, sub] = rest.split('.');
    attr = { name: name!, ...(sub !== undefined && { sub }) };
  } catch {
    throw invalidPath(`"${path.slice(0, 100)}" is not a path`);
  }
  return {
    ...(extension && { extension }),
    name: attr.name,
    ...(filter && { filter }),
    ...(attr.sub && { sub: attr.sub }),
  };
}

/** The key of `o` named `name` in any case, or `name` itself. */
export const keyOf = (o: Json, name: string): string =>
  Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;

/** Whether a value of a multi-valued attribute matches a value filter (paths relative to it; strings in any case). */
export function matches(f: Filter, el: Json): boolean {
  switch (f.op) {
    case 'and':
      return matches(f.left, el) && matches(f.right, el);
    case 'or':
      return matches(f.left, el) || matches(f.right, el);
    case 'not':
      return !matches(f.filter, el);
    case 'value':
      return false;
  }
  let actual = field(el, f.attr.name);
  if (f.attr.sub !== undefined) actual = isObject(actual) ? field(actual, f.attr.sub) : undefined;
  if (f.op === 'pr') return actual !== undefined && actual !== null && actual !== '';
  const fold = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  const a = fold(actual);
  const b = fold(f.value);
  if (f.op === 'eq') return a === b;
  if (f.op === 'ne') return a !== b;
  if (typeof a !== 'string' || typeof b !== 'string') {
    if (typeof a !== 'number' || typeof b !== 'number') return false;
  }
  switch (f.op) {
    case 'co':
      return typeof a === 'string' && a.includes(b as string);
    case 'sw':
      return typeof a === 'string' && a.startsWith(b as string);
    case 'ew':
      return typeof a === 'string' && a.endsWith(b as string);
    case 'gt':
      return (a as string) > (b as string);
    case 'ge':
      return (a as string) >= (b as string);
    case 'lt':
      return (a as string) < (b as string);
    case 'le':
      return (a as string) <= (b as string);
  }
}

/** What a value filter says a new value is (`type eq "work"` → {type: "work"}), to add one where none matched. */
function seedOf(f: Filter): Json | undefined {
  if (f.op === 'eq' && f.attr.sub === undefined) return { [f.attr.name]: f.value };
  if (f.op !== 'and') return undefined;
  const left = seedOf(f.left);
  const right = seedOf(f.right);
  return left && right ? { ...left, ...right } : undefined;
}

const merge = (into: unknown, value: unknown): unknown =>
  isObject(into) && isObject(value) ? { ...into, ...value } : value;

/** Values added to a multi-valued attribute; a new primary value makes the others non-primary (RFC 7643 2.4). */
function appended(current: unknown[], value: unknown): unknown[] {
  const added = Array.isArray(value) ? value : [value];
  const primary = added.some((v) => isObject(v) && field(v, 'primary') === true);
  const kept = primary ? current.map((el) => (isObject(el) ? { ...el, primary: false } : el)) : current;
  return [...kept, ...added];
}

/** Applies one operation to `resource` (changed in place). */
export function applyOp(resource: Json, op: PatchOp): void {
  if (op.path === undefined) {
    if (!isObject(op.value)) throw invalidValue('Without a path, value must be an object of attributes');
    for (const [k, v] of Object.entries(op.value)) {
      if (k.includes('.') || k.includes('[') || /^urn:/i.test(k)) applyOp(resource, { op: op.op, path: k, value: v });
      else {
        const key = keyOf(resource, k);
        resource[key] =
          op.op === 'add' && Array.isArray(resource[key])
            ? appended(resource[key] as unknown[], v)
            : merge(resource[key], v);
      }
    }
    return;
  }
  const path = parsePath(op.path);
  let container: Json = resource;
  if (path.extension) {
    const key = keyOf(resource, path.extension);
    if (!isObject(resource[key])) resource[key] = {};
    container = resource[key] as Json;
    if (path.name === '') {
      if (op.op === 'remove') delete resource[key];
      else resource[key] = merge(container, op.value);
      return;
    }
  }
  const key = keyOf(container, path.name);
  if (path.filter) {
    applyFiltered(container, key, path, op);
    return;
  }
  if (path.sub !== undefined) {
    if (!isObject(container[key])) {
      if (op.op === 'remove') return;
      container[key] = {};
    }
    const parent = container[key] as Json;
    const subKey = keyOf(parent, path.sub);
    if (op.op === 'remove') delete parent[subKey];
    else parent[subKey] = merge(parent[subKey], op.value);
    return;
  }
  const current = container[key];
  if (op.op === 'remove') {
    if (Array.isArray(current) && Array.isArray(op.value)) {
      // Entra's remove of some members: {"path": "members", "value": [{"value": "id"}]}.
      const gone = new Set(op.value.map((v) => String(isObject(v) ? field(v, 'value') : v).toLowerCase()));
      container[key] = current.filter((el) => !gone.has(String(isObject(el) ? field(el, 'value') : el).toLowerCase()));
    } else delete container[key];
  } else if (op.op === 'add' && Array.isArray(current)) container[key] = appended(current, op.value);
  else container[key] = merge(current, op.value);
}

function applyFiltered(container: Json, key: string, path: Path, op: PatchOp): void {
  const list = Array.isArray(container[key]) ? (container[key] as unknown[]) : [];
  const hits = list.filter((el): el is Json => isObject(el) && matches(path.filter!, el));
  if (op.op === 'remove') {
    if (path.sub === undefined) container[key] = list.filter((el) => !hits.includes(el as Json));
    else for (const el of hits) delete el[keyOf(el, path.sub)];
    return;
  }
  if (hits.length === 0) {
    const seed = seedOf(path.filter!);
    if (!seed) throw scimError('noTarget', `No value of ${path.name} matches the path's filter`);
    const el =
      path.sub === undefined ? { ...seed, ...(isObject(op.value) ? op.value : {}) } : { ...seed, [path.sub]: op.value };
    container[key] = [...list, el];
    return;
  }
  for (const el of hits) {
    if (path.sub === undefined) Object.assign(el, isObject(op.value) ? op.value : {});
    else el[keyOf(el, path.sub)] = op.value;
  }
}
