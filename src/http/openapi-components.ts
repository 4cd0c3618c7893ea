import { RULE_SCHEMAS, type RuleName } from '../core/users/user.rules.js';

/** Pieces of the OpenAPI document that operations refer to, and the rewrites of its schemas. */

export type Json = Record<string, unknown>;

const header = (description: string, type: 'string' | 'integer' = 'string') => ({ description, schema: { type } });
/** The response headers, as components; operations refer to them. */
export const HEADERS = {
  'X-Request-Id': header('The request id (echoed when the client sent a sane one)'),
  'X-RateLimit-Limit': header('The limit closest to running out', 'integer'),
  'X-RateLimit-Remaining': header('Requests left in its window', 'integer'),
  'X-RateLimit-Reset': header('When its window ends (epoch seconds)', 'integer'),
  'Retry-After': header('Seconds until a retry may succeed', 'integer'),
  ETag: header("The user's version; send it back as If-Match to write only if nobody changed the user meanwhile"),
  'Idempotent-Replayed': header(
    'true when the answer is the stored one of an earlier request with the same Idempotency-Key',
  ),
  'Idempotent-Secret-Withheld': header(
    'On a replay: the fields (dotted paths) whose secret was shown once, in the first answer, and is null here',
  ),
};
/** References to response headers, to spread into a response's `headers`. */
export const headers = (...names: Array<keyof typeof HEADERS>) =>
  Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));

const headerParameter = (name: string, description: string, pattern?: string) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string', ...(pattern && { pattern }) },
});
export const IF_MATCH = headerParameter(
  'If-Match',
  'ETag(s) of a read: the write happens only if the user is still at one of these versions (412 otherwise); `*` matches any existing user',
);
export const IDEMPOTENCY_KEY = headerParameter(
  'Idempotency-Key',
  'Makes a retry safe: the first successful answer to this key and body is stored for 24 hours (without its secrets) and replayed (with `Idempotent-Replayed: true`) instead of a second write; a refusal is not stored',
  '^[\\x21-\\x7e]{1,255}$',
);

// Routes outside every surface answer errors in the root envelope ({error: {code, message, details, timestamp, path}}).
export const ROOT_ERROR = {
  'application/json': {
    schema: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'details'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            details: { type: 'object' },
            timestamp: { type: 'string' },
            path: { type: 'string' },
          },
        },
      },
      required: ['error'],
    },
  },
};

/** Every subschema of `node` (objects and arrays, depth first, children before parents). */
export function rewrite(node: unknown, visit: (schema: Json) => unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, visit));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = rewrite(value, visit);
  return visit(out);
}

/**
 * What the validator must not see but the document must say: a string marked
 * `x-rule` gets the core rule's constraints (RULE_SCHEMAS), and `x-default`
 * is a default the handler applies (the validator filling it in would clash
 * with another parameter).
 */
export const withRule = (schema: Json): Json => {
  const { 'x-rule': rule, 'x-default': fallback, ...rest } = schema;
  if (rule === undefined && fallback === undefined) return schema;
  return {
    ...rest,
    ...(rule !== undefined && RULE_SCHEMAS[rule as RuleName]),
    ...(fallback !== undefined && { default: fallback }),
  };
};

/**
 * Named schemas (a `title`) become components, referenced by `$ref`: one
 * User per surface, the error envelopes, pagination. Two different schemas
 * with one title would be a bug in the schemas, and fails the document.
 */
export function hoistNamedSchemas(doc: Json): void {
  const components = ((doc.components as Json).schemas ??= {}) as Json;
  const seen = new Map<string, string>();
  const hoist = (schema: Json) => {
    const name = schema.title;
    if (typeof name !== 'string') return schema;
    const text = JSON.stringify(schema);
    const previous = seen.get(name);
    if (previous !== undefined && previous !== text)
      throw new Error(`OpenAPI: two different schemas are named ${name}`);
    seen.set(name, text);
    components[name] = schema;
    return { $ref: `#/components/schemas/${name}` };
  };
  doc.paths = rewrite(doc.paths, hoist);
  if (doc.webhooks) doc.webhooks = rewrite(doc.webhooks, hoist);
  // In name order: the document (and the SDK types generated from it) does not change when routes move.
  (doc.components as Json).schemas = Object.fromEntries(
    Object.entries(components).sort(([a], [b]) => a.localeCompare(b)),
  );
}
