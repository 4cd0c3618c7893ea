import { Type } from '@sinclair/typebox';
import type { AppError } from '../../core/errors.js';

/** The plain envelope of the profiles and account APIs: `{error: {code, message, details}}`, details keyed by field. */
export const PlainError = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { title: 'PlainError' },
);

export const plainError = (error: AppError) => ({
  error: { code: error.code, message: error.message, details: error.details ?? {} },
});
