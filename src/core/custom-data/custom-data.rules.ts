import { validationError } from '../errors.js';

/** The most JSON a `custom_data` object may take (users' and organizations'): 16 KiB, UTF-8, as stored. */
export const CUSTOM_DATA_MAX_BYTES = 16 * 1024;

export type CustomData = Record<string, unknown>;

const isPlainObject = (value: unknown): value is CustomData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The shape rule every `custom_data` obeys before any schema: a JSON object
 * (not an array, string or null) of at most 16 KiB once serialised. Answers
 * the serialised text to store; refuses with a field error on `field`.
 */
export function customDataText(value: unknown, field = 'custom_data'): string {
  if (!isPlainObject(value)) throw validationError({ [field]: 'must be a JSON object' });
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text, 'utf8') > CUSTOM_DATA_MAX_BYTES)
    throw validationError({ [field]: `must be at most ${CUSTOM_DATA_MAX_BYTES} bytes of JSON` });
  return text;
}

/** Stored text (or NULL) → the object; `{}` when there is none. */
export function customDataOf(text: string | null | undefined): CustomData {
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  return isPlainObject(value) ? value : {};
}
