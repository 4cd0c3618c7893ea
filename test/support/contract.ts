import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * The OpenAPI document as a contract, checked against real traffic: what a
 * validating proxy (Prism) does between a client and the server, built from
 * the server's own /openapi.json with Ajv (JSON Schema 2020-12, as OpenAPI
 * 3.1 uses). Every exchange is checked in both directions:
 * - the response: its status is documented for the operation, its body
 *   matches that status's schema and content type, and every header the
 *   server adds (request id, rate limits, Retry-After, ETag, replays) is
 *   documented for it;
 * - the request: one the document refuses (a missing required parameter or
 *   credential, a wrong type, a field out of its constraints, an unknown body
 *   field) must not succeed, and one the document accepts must not be refused
 *   for its shape (a required field, an unknown field, a wrong type).
 */

type Json = Record<string, any>;

export interface Exchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  status: number;
  responseHeaders: Record<string, unknown>;
  responseBody: string;
}

interface Route {
  path: string;
  match: RegExp;
  names: string[];
  item: Json;
}

// Headers the server sets that the document must declare wherever they appear.
const DOCUMENTED_HEADERS = [
  'x-request-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
  'etag',
  'idempotent-replayed',
  'idempotent-secret-withheld',
];
// How the server says a request's shape is wrong (src/http/validation.ts); a business rule says it otherwise.
const SHAPE_MESSAGES = [
  /^This field is required$/,
  /^Unknown field$/,
  /^Must be (a|an|true|null|one of)\b/,
  /^Request body must be a JSON object$/,
];

const mediaType = (value: unknown): string =>
  String(value ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) strings(item, out);
  return out;
}

export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: Route[];
  private readonly doc: Json;
  /** Operations seen, as "METHOD /path": what a suite covered. */
  readonly covered = new Set<string>();

  constructor(document: Json) {
    addFormats.default(this.ajv);
    // Schemas refer to components by a document-relative $ref; Ajv resolves them under one $id.
    this.doc = JSON.parse(JSON.stringify(document).replaceAll('"#/components/schemas/', '"usher-components#/$defs/'));
    this.ajv.addSchema({ $id: 'usher-components', $defs: this.doc.components?.schemas ?? {} });
    this.routes = Object.entries<Json>(this.doc.paths).map(([path, item]) => ({
      path,
      names: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
      match: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)')}$`),
      item,
    }));
    // Literal paths before templated ones (/api/v1/users/me-like literals win over /{id}).
    this.routes.sort((a, b) => a.names.length - b.names.length);
  }

  /** The operations of the document, as "METHOD /path". */
  operations(): string[] {
    return this.routes.flatMap((r) => Object.keys(r.item).map((method) => `${method.toUpperCase()} ${r.path}`));
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(schema as object);
      this.validators.set(key, v);
    }
    return v;
  }

  private validate(key: string, schema: unknown, value: unknown): string | undefined {
    const v = this.validator(key, schema);
    if (v(value)) return undefined;
    return this.ajv.errorsText(v.errors);
  }

  /** Why the document refuses this request, or undefined when it accepts it. */
  private requestProblem(
    route: Route,
    method: string,
    op: Json,
    ex: Exchange,
    url: URL,
    params: Record<string, string>,
  ): string | undefined {
    const id = `${method} ${route.path}`;
    for (const p of op.parameters ?? []) {
      let raw: string | string[] | undefined;
      if (p.in === 'path') raw = params[p.name];
      else if (p.in === 'query') {
        const all = url.searchParams.getAll(p.name);
        raw = all.length === 0 ? undefined : all.length === 1 ? all[0] : all;
      } else if (p.in === 'header') raw = ex.headers[p.name.toLowerCase()];
      if (raw === undefined) {
        if (p.required) return `missing ${p.in} parameter ${p.name}`;
        continue;
      }
      if (Array.isArray(raw) && p.schema?.type !== 'array') return `${p.name} given more than once`;
      let value: unknown = raw;
      if (typeof raw === 'string' && (p.schema?.type === 'integer' || p.schema?.type === 'number'))
        value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
      if (typeof raw === 'string' && p.schema?.type === 'boolean')
        value = raw === 'true' ? true : raw === 'false' ? false : raw;
      const problem = this.validate(`${id} ${p.in} ${p.name}`, p.schema ?? {}, value);
      if (problem) return `${p.in} parameter ${p.name}: ${problem}`;
    }
    const security: Json[] | undefined = op.security;
    if (security && security.length > 0 && !security.some((s) => Object.keys(s).length === 0)) {
      if (!ex.headers.authorization && !ex.headers['x-api-key']) return 'no credential, and the operation needs one';
    }
    const body = op.requestBody;
    const hasBody = ex.payload !== undefined && ex.payload !== '';
    if (!body) return undefined;
    if (!hasBody) return body.required ? 'no body, and the operation needs one' : undefined;
    const type = mediaType(ex.headers['content-type']);
    const content = body.content?.[type];
    if (!content) return `body of type ${type || '(none)'}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(ex.payload!);
    } catch {
      return 'body is not JSON';
    }
    const problem = this.validate(`${id} body`, content.schema ?? {}, parsed);
    return problem ? `body: ${problem}` : undefined;
  }

  private responseProblems(route: Route, method: string, op: Json, ex: Exchange): string[] {
    const problems: string[] = [];
    const id = `${method} ${route.path}`;
    const response: Json | undefined =
      op.responses?.[String(ex.status)] ?? op.responses?.[`${String(ex.status)[0]}XX`] ?? op.responses?.default;
    if (!response) return [`status ${ex.status} is not documented`];
    const declared = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
    for (const name of DOCUMENTED_HEADERS) {
      if (ex.responseHeaders[name] !== undefined && !declared.has(name))
        problems.push(`header ${name} is not documented for ${ex.status}`);
    }
    const content: Json | undefined = response.content;
    if (ex.responseBody === '') {
      if (content && Object.keys(content).length > 0)
        problems.push(`${ex.status} has no body, the document says it has one`);
      return problems;
    }
    if (!content) return [...problems, `${ex.status} has a body, the document says none`];
    const type = mediaType(ex.responseHeaders['content-type']);
    const media = content[type];
    if (!media) return [...problems, `${ex.status} is ${type}, the document says ${Object.keys(content).join(', ')}`];
    if (type !== 'application/json') return problems;
    const problem = this.validate(`${id} ${ex.status}`, media.schema ?? {}, JSON.parse(ex.responseBody));
    if (problem) problems.push(`${ex.status} body: ${problem}`);
    return problems;
  }

  /** Every disagreement between the document and this exchange (none: an empty list). */
  check(ex: Exchange): string[] {
    const url = new URL(ex.url, 'http://usher.test');
    const method = ex.method.toLowerCase();
    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const r of this.routes) {
      const m = r.match.exec(url.pathname);
      if (!m) continue;
      route = r;
      try {
        params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
      } catch {
        params = {};
      }
      break;
    }
    const op: Json | undefined = route?.item[method];
    // A path or method the document does not have (a test's own route, an unknown path): nothing to check.
    // test/openapi.test.ts checks that every route the server has is documented.
    if (!route || !op) return [];
    this.covered.add(`${method.toUpperCase()} ${route.path}`);
    const where = `${ex.method} ${ex.url} → ${ex.status}`;
    const problems = this.responseProblems(route, method, op, ex).map((p) => `${where}: ${p}`);
    const refused = this.requestProblem(route, method, op, ex, url, params);
    if (refused && ex.status < 300)
      problems.push(`${where}: the document refuses this request (${refused}), the server accepted it`);
    if (!refused && ex.status === 400) {
      let body: unknown;
      try {
        body = JSON.parse(ex.responseBody);
      } catch {
        body = undefined;
      }
      const shape = strings((body as Json | undefined)?.error?.details ?? (body as Json | undefined)).filter((m) =>
        SHAPE_MESSAGES.some((re) => re.test(m)),
      );
      if (shape.length > 0)
        problems.push(
          `${where}: the document accepts this request, the server refused its shape (${shape.join('; ')})`,
        );
    }
    return problems;
  }
}
