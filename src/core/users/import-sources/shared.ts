import { LIMITS } from '../user.rules.js';
import { PATTERNS } from '../../patterns.js';

/** What every reader of another system's export shares: its options, its report, and the mapping rules they agree on. */

export type SourceSystem = 'keycloak' | 'auth0' | 'supabase' | 'firebase' | 'clerk';
export const SOURCE_SYSTEMS: readonly SourceSystem[] = ['keycloak', 'auth0', 'supabase', 'firebase', 'clerk'];

/** Firebase's project-wide scrypt parameters, as its console shows them (Authentication → Users → ⋮ → Password hash parameters). */
export interface FirebaseParams {
  /** base64_signer_key */
  hashKey: string;
  /** base64_salt_separator */
  saltSeparator: string;
  rounds: number;
  memCost: number;
}

export interface SourceOptions {
  /** Deleted users are imported too (as suspended users), instead of being skipped. */
  includeDeleted: boolean;
  /** A Keycloak realm role, or a metadata key or role (Auth0, Supabase, Firebase, Clerk), that makes a user an admin. */
  adminRole?: string;
  firebase?: FirebaseParams;
}

/** What the reading saw beyond the rows it handed on: users left out and why, and what it changed. */
export interface SourceReport {
  read: number;
  skipped: Record<string, number>;
  suspended: number;
  admins: number;
  totp: number;
  /** The first usernames made valid or unique (line, what the old system had, what Usher uses). */
  renamed: Array<{ line: number; from: string | null; to: string }>;
  renamedCount: number;
  /** Fields this build's import does not take yet, left out (custom_data, external_id before issue 28 lands). */
  dropped: Record<string, number>;
}

export const newReport = (): SourceReport => ({
  read: 0,
  skipped: {},
  suspended: 0,
  admins: 0,
  totp: 0,
  renamed: [],
  renamedCount: 0,
  dropped: {},
});

export const skip = (report: SourceReport, why: string): void => {
  report.skipped[why] = (report.skipped[why] ?? 0) + 1;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id of the old system: a UUID is kept as the Usher id (lower case), anything else becomes external_id. */
export function idFields(id: unknown): { id?: string; external_id?: string } {
  if (typeof id !== 'string' || id === '') return {};
  return UUID.test(id) ? { id: id.toLowerCase() } : { external_id: id };
}

/** Milliseconds since the epoch (a number or its digits) as an ISO date-time; undefined when absent or not a time. */
export function isoOfMs(ms: unknown): string | undefined {
  const n = typeof ms === 'number' ? ms : typeof ms === 'string' && /^\d{1,16}$/.test(ms) ? Number(ms) : Number.NaN;
  return Number.isFinite(n) && n > 0 && n < 8.64e15 ? new Date(n).toISOString() : undefined;
}

export const objectOr = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export const textOr = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** A JSON object kept as text (Firebase's customAttributes, Supabase's and Clerk's metadata in CSV). */
export function parsedObject(value: unknown): Record<string, unknown> | undefined | 'bad' {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return objectOr(value) ?? 'bad';
  try {
    return objectOr(JSON.parse(value)) ?? 'bad';
  } catch {
    return 'bad';
  }
}

/** Metadata that names `role` an admin: `{role: true}`, `{role: NAME}`, `{roles: [NAME]}`. */
export function metadataNames(meta: Record<string, unknown> | undefined, name: string | undefined): boolean {
  if (!meta || !name) return false;
  const value = meta[name];
  if (value === true || value === 'true') return true;
  if (meta.role === name) return true;
  return Array.isArray(meta.roles) && meta.roles.includes(name);
}

/** Keeps only the defined fields of a row. */
export const defined = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

const clean = (value: string | undefined): string =>
  (value ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, LIMITS.usernameMax);

const valid = (name: string) =>
  name.length >= LIMITS.usernameMin && name.length <= LIMITS.usernameMax && PATTERNS.username.test(name);

/**
 * Usernames for the users of one import: the old system's when Usher's rules
 * take it, else one made from it or from the email's local part (letters,
 * digits, `_` and `-`), unique in the file (case-insensitively) with `-2`,
 * `-3`… Each change is reported.
 */
export function usernames(report: SourceReport) {
  const taken = new Set<string>();
  return (line: number, wanted: string | undefined, email: string | undefined): string => {
    let base = wanted && valid(wanted) ? wanted : clean(wanted?.split('@')[0]) || clean(email?.split('@')[0]);
    if (base.length < LIMITS.usernameMin) base = base ? `${base}-user` : 'user';
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++)
      name = `${base.slice(0, LIMITS.usernameMax - `-${n}`.length)}-${n}`;
    taken.add(name.toLowerCase());
    // Systems without usernames (Firebase, Supabase) are reported only when a made name had to be made unique.
    if (wanted ? name !== wanted : name !== base) {
      report.renamedCount++;
      if (report.renamed.length < 20) report.renamed.push({ line, from: wanted ?? null, to: name });
    }
    return name;
  };
}
