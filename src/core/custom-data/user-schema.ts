import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type FieldErrors, validationError } from '../errors.js';

/**
 * The user schema's rules (issue 28): a JSON Schema (draft 2020-12, Ajv 8)
 * the admins set for every user's `custom_data`. The schema itself is checked
 * here (it compiles, `type: object` at the top, ≤ 64 KiB, only local `$ref`,
 * flat `pattern`s), and a compiled schema answers a value's errors as field
 * messages (`custom_data.plan: must be one of "free", "pro"`) and which
 * top-level properties the user may edit (`"x-user-editable": true`).
 */

export const USER_SCHEMA_MAX_BYTES = 64 * 1024;
export const USER_EDITABLE = 'x-user-editable';

export interface CompiledUserSchema {
  /** Changes with every PUT: what an instance compares to know its compiled copy is current. */
  version: string;
  schema: Record<string, unknown>;
  /** The field errors of `value` under `field` (empty when it passes). */
  check(value: unknown, field?: string): FieldErrors;
  /** Top-level properties marked `"x-user-editable": true`. */
  editable: ReadonlySet<string>;
}

function newAjv(): Ajv2020 {
  // strict: an unknown keyword or format is a mistake the admin hears of at once, not a rule silently skipped.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: USER_EDITABLE, schemaType: 'boolean' });
  return ajv;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// A group that holds a quantifier and is itself quantified (`(a+)+`, `(\w*)*`): the shape that backtracks
// exponentially. A schema's patterns run on users' own input (self-edit), so only flat ones are taken.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[*+]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d+,\d*\})/;

/** Walks the schema: remote `$ref`s and nested-quantifier patterns are refused with where they are. */
function checkKeywords(node: unknown, at: string, errors: FieldErrors): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => checkKeywords(v, `${at}/${i}`, errors));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const here = `${at}/${key}`;
    if ((key === '$ref' || key === '$dynamicRef') && typeof value === 'string' && !value.startsWith('#'))
      errors[`schema${here}`] = 'only local references (starting with #) are allowed';
    else if (key === 'pattern' && typeof value === 'string' && NESTED_QUANTIFIER.test(value))
      errors[`schema${here}`] = 'pattern must not repeat a group that repeats (it could run for ever)';
    else if (key === 'patternProperties' && isObject(value))
      for (const p of Object.keys(value))
        if (NESTED_QUANTIFIER.test(p))
          errors[`schema${here}`] = 'pattern must not repeat a group that repeats (it could run for ever)';
    if (key !== 'const' && key !== 'enum' && key !== 'default' && key !== 'examples')
      checkKeywords(value, here, errors);
  }
}

/** Checks and compiles a schema the admins give; throws VALIDATION_ERROR on `schema…` fields when it cannot be one. */
export function compileUserSchema(schema: unknown, version: string): CompiledUserSchema {
  if (!isObject(schema)) throw validationError({ schema: 'must be a JSON object' });
  if (Buffer.byteLength(JSON.stringify(schema), 'utf8') > USER_SCHEMA_MAX_BYTES)
    throw validationError({ schema: `must be at most ${USER_SCHEMA_MAX_BYTES} bytes of JSON` });
  if (schema.type !== 'object') throw validationError({ 'schema/type': 'must be "object" at the top' });
  const errors: FieldErrors = {};
  checkKeywords(schema, '', errors);
  if (Object.keys(errors).length > 0) throw validationError(errors);
  let validate: ValidateFunction;
  try {
    validate = newAjv().compile(schema);
  } catch (error) {
    throw validationError({ schema: `does not compile: ${(error as Error).message}` });
  }
  const properties = isObject(schema.properties) ? schema.properties : {};
  const editable = new Set(
    Object.entries(properties)
      .filter(([, p]) => isObject(p) && p[USER_EDITABLE] === true)
      .map(([k]) => k),
  );
  return {
    version,
    schema,
    editable,
    check(value, field = 'custom_data') {
      return validate(value) ? {} : fieldErrors(validate.errors ?? [], field);
    },
  };
}

const pointerSegment = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** Ajv's errors as one message per field: `custom_data.plan`, `custom_data.tags.0`; the first for a field wins. */
export function fieldErrors(errors: readonly ErrorObject[], field: string): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = e.instancePath.split('/').slice(1).map(pointerSegment);
    if (e.keyword === 'required') path.push(String(e.params.missingProperty));
    if (e.keyword === 'additionalProperties') path.push(String(e.params.additionalProperty));
    const name = [field, ...path].join('.');
    const message =
      e.keyword === 'enum'
        ? `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
        : e.keyword === 'required'
          ? 'is required'
          : e.keyword === 'additionalProperties'
            ? 'is not allowed by the user schema'
            : (e.message ?? 'is invalid');
    out[name] ??= message;
  }
  return out;
}
