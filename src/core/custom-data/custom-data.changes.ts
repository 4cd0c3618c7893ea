import { isDeepStrictEqual } from 'node:util';
import { forbidden, validationError } from '../errors.js';
import { mayWriteAllCustomData } from '../policy.js';
import type { Principal } from '../types.js';
import { type CustomData, customDataText } from './custom-data.rules.js';
import type { CompiledUserSchema } from './user-schema.js';

/**
 * What a write of a user's custom_data stores. PATCH merges top-level
 * properties (a property set to null is removed), as Auth0's user_metadata
 * does; PUT, create and import give the whole object. Then, in order: who may
 * change what (admins anything; anyone else, the user themselves or a
 * registration, only top-level properties the schema marks
 * `"x-user-editable": true`, none without a schema), the shape rule (a JSON
 * object ≤ 16 KiB) and the current user schema. Throws before anything is
 * written; answers the whole new object.
 */
export interface CustomDataChange {
  mode: 'merge' | 'replace';
  value: unknown;
}

const isObject = (v: unknown): v is CustomData => typeof v === 'object' && v !== null && !Array.isArray(v);

export function nextCustomData(
  actor: Principal | null,
  schema: CompiledUserSchema | null,
  current: Readonly<CustomData>,
  change: CustomDataChange,
): CustomData {
  if (!isObject(change.value)) throw validationError({ custom_data: 'must be a JSON object' });
  let next: CustomData;
  if (change.mode === 'replace') next = change.value;
  else {
    next = { ...current };
    for (const [key, value] of Object.entries(change.value)) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
  }
  if (!actor || !mayWriteAllCustomData(actor)) {
    const keys = new Set([...Object.keys(current), ...Object.keys(next)]);
    const locked = [...keys].filter((k) => !isDeepStrictEqual(current[k], next[k]) && !schema?.editable.has(k));
    if (locked.length > 0)
      throw forbidden(
        `You may not change custom_data.${locked[0]}: only properties the user schema marks x-user-editable`,
      );
  }
  customDataText(next);
  const errors = schema?.check(next) ?? {};
  if (Object.keys(errors).length > 0) throw validationError(errors, 'custom_data does not match the user schema');
  return next;
}
