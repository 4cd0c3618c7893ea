import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import fastJsonStringify from 'fast-json-stringify';
import type { FieldErrors } from '../core/errors.js';

function ajv(coerceTypes: boolean) {
  // allErrors: report every bad field at once; bodies are capped at 1-3 MB, so the cost is bounded.
  const instance = new Ajv({ allErrors: true, coerceTypes, removeAdditional: false, useDefaults: true, strict: false });
  addFormats.default(instance);
  return instance;
}

// JSON bodies keep their types ("123" is not a number); query strings and
// path parameters are text on the wire and are coerced.
const strict = ajv(false);
const coercing = ajv(true);

/**
 * Each route's validator is compiled at its first request, not at start:
 * compiling every route's schemas was a tenth of the start-up time. The
 * OpenAPI contract test sends a request to every route, so a schema Ajv
 * cannot compile still fails a test, not a user.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown): boolean => {
    compiled ??= (httpPart === 'body' ? strict : coercing).compile(schema as object);
    const valid = compiled(data) as boolean;
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null as ValidateFunction['errors'];
  return validate as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typeName(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

/** Ajv's errors as one plain message per field, keyed by dotted path ("preferences.theme"). */
export function fieldErrors(errors: ErrorObject[], context: string | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = e.instancePath.split('/').slice(1).join('.');
    const at = (name: string) => (path ? `${path}.${name}` : name);
    let field = path;
    let message: string;
    switch (e.keyword) {
      case 'required':
        field = at(String(e.params.missingProperty));
        message = 'This field is required';
        break;
      case 'additionalProperties':
        field = at(String(e.params.additionalProperty));
        message = context === 'querystring' ? 'Unknown query parameter' : 'Unknown field';
        break;
      case 'type':
        message = `Must be ${typeName(e.params.type)}`;
        break;
      case 'enum':
        message = `Must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
        break;
      case 'minimum':
        message = `Must be at least ${e.params.limit}`;
        break;
      case 'maximum':
        message = `Must be at most ${e.params.limit}`;
        break;
      case 'minLength':
        message = `Must be at least ${e.params.limit} characters`;
        break;
      case 'maxLength':
        message = `Must be at most ${e.params.limit} characters`;
        break;
      case 'format':
        message = `Must be a valid ${e.params.format}`;
        break;
      default:
        message = e.message ?? 'Is invalid';
    }
    if (!field) field = context === 'body' ? 'body' : (context ?? 'request');
    if (field === 'body' && e.keyword === 'type') message = 'Request body must be a JSON object';
    // The first problem per field is the useful one.
    out[field] ??= message;
  }
  return out;
}

/**
 * Response serializers too are built at a route's first answer, not at
 * start (building them all was an eighth of the start-up time); Fastify's own
 * compiler does the same with no shared schemas, which Usher does not use.
 */
export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => (serialize ??= fastJsonStringify(schema as object))(data);
};
