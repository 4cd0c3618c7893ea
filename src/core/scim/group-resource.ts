import { invalidValue } from './scim-errors.js';
import { field, isObject } from './user-resource.js';

/** A SCIM Group as sent (POST, PUT, or after a PATCH) → displayName, externalId and member ids. */
export const MEMBERS_MAX = 10_000;

export interface GroupInput {
  displayName: string;
  externalId: string | null;
  members: string[];
}

export function parseGroup(body: unknown): GroupInput {
  if (!isObject(body)) throw invalidValue('The body must be a JSON object');
  const displayName = field(body, 'displayName');
  if (typeof displayName !== 'string' || displayName.trim() === '' || displayName.length > 100)
    throw invalidValue('displayName must be a non-empty string of at most 100 characters');
  const externalId = field(body, 'externalId');
  if (externalId !== undefined && externalId !== null && (typeof externalId !== 'string' || externalId.length > 255))
    throw invalidValue('externalId must be a string of at most 255 characters');
  const members = field(body, 'members') ?? [];
  if (!Array.isArray(members)) throw invalidValue('members must be an array');
  const ids = members.map((m) => (isObject(m) ? field(m, 'value') : undefined));
  if (!ids.every((v): v is string => typeof v === 'string' && v.length <= 100))
    throw invalidValue('Every member needs a value, the user id');
  if (ids.length > MEMBERS_MAX) throw invalidValue(`A group may have at most ${MEMBERS_MAX} members`);
  return { displayName, externalId: (externalId as string | null | undefined) || null, members: [...new Set(ids)] };
}
