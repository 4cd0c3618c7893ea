import type { TSchema } from '@sinclair/typebox';

/** The `response` entries for a route's error statuses, all with the surface's error schema. */
export const errorResponses = (schema: TSchema, ...codes: number[]): Record<number, TSchema> =>
  Object.fromEntries(codes.map((code) => [code, schema]));

export const BEARER_OR_KEY: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];
