import { AppError, type ErrorCode } from '../errors.js';

/** RFC 7644 3.12's scimType values Usher answers with. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers';

/** An AppError carrying its SCIM `scimType` (the SCIM surface writes it; other surfaces never see these). */
export const scimError = (scimType: ScimType, detail: string, code: ErrorCode = 'VALIDATION_ERROR'): AppError =>
  new AppError(code, detail, { scimType });

export const invalidFilter = (detail: string): AppError => scimError('invalidFilter', detail);
export const invalidValue = (detail: string): AppError => scimError('invalidValue', detail);
export const invalidPath = (detail: string): AppError => scimError('invalidPath', detail);
export const uniqueness = (detail: string): AppError => scimError('uniqueness', detail, 'DUPLICATE_RESOURCE');
