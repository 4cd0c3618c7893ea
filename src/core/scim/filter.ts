import { invalidFilter } from './scim-errors.js';

/**
 * SCIM filters (RFC 7644 3.4.2.2) parsed into a tree: `eq ne co sw ew pr gt
 * ge lt le`, `and`/`or`/`not (…)`, parentheses, value paths
 * (`emails[type eq "work"]`, and `emails[type eq "work"].value eq "…"` as
 * Microsoft Entra sends it). Attribute names and operators are
 * case-insensitive (kept lower-cased here). The parser is bounded: at most
 * MAX_FILTER_LENGTH characters, MAX_COMPARISONS comparisons and MAX_DEPTH
 * levels; anything else it cannot read is invalidFilter (a 400), never
 * another error. What the tree means for a resource is query.ts's.
 */
export const MAX_FILTER_LENGTH = 2048;
export const MAX_COMPARISONS = 64;
export const MAX_DEPTH = 16;

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Value = string | number | boolean | null;

/** An attribute path: lower-cased name and sub-attribute; `schema` the URN prefix when one was written. */
export interface AttrPath {
  schema?: string;
  name: string;
  sub?: string;
}

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; attr: AttrPath }
  | { op: CompareOp; attr: AttrPath; value: Value }
  /** `attr[filter]`: some value of the multi-valued `attr` matches `filter` (its paths relative to the value). */
  | { op: 'value'; attr: AttrPath; filter: Filter };

const OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const WORD = /[A-Za-z0-9_:.$-]/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;

type Token = { kind: 'word' | 'string' | '(' | ')' | '[' | ']'; text: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '(' || c === ')' || c === '[' || c === ']') tokens.push({ kind: c, text: c, at: i++ });
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw invalidFilter(`Unterminated string at ${i}`);
      let value: unknown;
      try {
        value = JSON.parse(text.slice(i, j + 1));
      } catch {
        throw invalidFilter(`Invalid string at ${i}`);
      }
      tokens.push({ kind: 'string', text: value as string, at: i });
      i = j + 1;
    } else if (WORD.test(c)) {
      let j = i;
      while (j < text.length && WORD.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), at: i });
      i = j;
    } else throw invalidFilter(`Unexpected character at ${i}`);
  }
  return tokens;
}

/** `urn:…:User:name.sub` or `name.sub` → its parts; names lower-cased. */
export function attrPathOf(text: string): AttrPath {
  let schema: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const cut = text.lastIndexOf(':');
    schema = text.slice(0, cut).toLowerCase();
    rest = text.slice(cut + 1);
  }
  const parts = rest.split('.');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p)))
    throw invalidFilter(`"${text.slice(0, 100)}" is not an attribute path`);
  return {
    ...(schema !== undefined && { schema }),
    name: parts[0]!.toLowerCase(),
    ...(parts[1] !== undefined && { sub: parts[1].toLowerCase() }),
  };
}

export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`A filter may be at most ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(text);
  let pos = 0;
  let comparisons = 0;
  const peek = (): Token | undefined => tokens[pos];
  const keyword = (t: Token | undefined, word: string) => t?.kind === 'word' && t.text.toLowerCase() === word;
  const expect = (kind: Token['kind']): Token => {
    const t = tokens[pos];
    if (t?.kind !== kind) throw invalidFilter(t ? `Expected "${kind}" at ${t.at}` : `Expected "${kind}" at the end`);
    pos++;
    return t;
  };

  function or(depth: number): Filter {
    if (depth > MAX_DEPTH) throw invalidFilter(`A filter may nest at most ${MAX_DEPTH} levels`);
    let left = and(depth);
    while (keyword(peek(), 'or')) {
      pos++;
      left = { op: 'or', left, right: and(depth) };
    }
    return left;
  }
  function and(depth: number): Filter {
    let left = unary(depth);
    while (keyword(peek(), 'and')) {
      pos++;
      left = { op: 'and', left, right: unary(depth) };
    }
    return left;
  }
  function unary(depth: number): Filter {
    const t = peek();
    if (keyword(t, 'not') && tokens[pos + 1]?.kind === '(') {
      pos++;
      return { op: 'not', filter: unary(depth + 1) };
    }
    if (t?.kind === '(') {
      pos++;
      const inner = or(depth + 1);
      expect(')');
      return inner;
    }
    return comparison(depth);
  }
  function value(): Value {
    const t = tokens[pos++];
    if (!t) throw invalidFilter('Expected a value at the end');
    if (t.kind === 'string') return t.text;
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
      if (NUMBER.test(t.text)) return Number(t.text);
    }
    throw invalidFilter(`Expected a value at ${t.at}`);
  }
  function comparison(depth: number): Filter {
    const t = expect('word');
    let attr = attrPathOf(t.text);
    let valueFilter: Filter | undefined;
    if (peek()?.kind === '[') {
      if (attr.sub !== undefined) throw invalidFilter(`Unexpected "[" at ${peek()!.at}`);
      pos++;
      valueFilter = or(depth + 1);
      expect(']');
      const next = peek();
      if (next?.kind === 'word' && next.text.startsWith('.')) {
        pos++;
        const sub = next.text.slice(1);
        if (!NAME.test(sub)) throw invalidFilter(`Invalid sub-attribute at ${next.at}`);
        attr = { ...attr, sub: sub.toLowerCase() };
      } else return { op: 'value', attr, filter: valueFilter };
    }
    const opToken = expect('word');
    const op = opToken.text.toLowerCase();
    if (++comparisons > MAX_COMPARISONS)
      throw invalidFilter(`A filter may have at most ${MAX_COMPARISONS} comparisons`);
    let node: Filter;
    if (op === 'pr') node = { op: 'pr', attr };
    else if (OPS.has(op)) node = { op: op as CompareOp, attr, value: value() };
    else throw invalidFilter(`Unknown operator "${opToken.text.slice(0, 20)}" at ${opToken.at}`);
    if (!valueFilter) return node;
    // emails[type eq "work"].value eq "x": some email is of type work and its value is x.
    const { sub, ...parent } = attr;
    const relative = { ...node, attr: { name: sub! } } as Filter;
    return { op: 'value', attr: parent, filter: { op: 'and', left: valueFilter, right: relative } };
  }

  if (tokens.length === 0) throw invalidFilter('The filter is empty');
  const filter = or(0);
  if (pos < tokens.length) throw invalidFilter(`Unexpected "${tokens[pos]!.text.slice(0, 20)}" at ${tokens[pos]!.at}`);
  return filter;
}
