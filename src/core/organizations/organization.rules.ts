import { randomBytes } from 'node:crypto';
import { AppError, type FieldErrors, validationError } from '../errors.js';
import { PATTERNS } from '../patterns.js';
import { checkText } from '../users/user.rules.js';

/** The rules on an organization's fields: one place, used by create and update alike. */

export const ORG_LIMITS = {
  nameMax: 100,
  slugMin: 3,
  slugMax: 64,
  domainsMax: 50,
  domainMax: 253,
  rolesMax: 50,
  invitationDaysDefault: 7,
  invitationDaysMax: 30,
} as const;

export const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export function checkName(errors: FieldErrors, value: string): void {
  checkText(errors, 'name', 'Name', value, 1, ORG_LIMITS.nameMax);
}

export function checkSlug(errors: FieldErrors, value: string): void {
  if (value.length < ORG_LIMITS.slugMin || value.length > ORG_LIMITS.slugMax)
    errors.slug = `Slug must be ${ORG_LIMITS.slugMin}-${ORG_LIMITS.slugMax} characters`;
  else if (!SLUG.test(value))
    errors.slug =
      'Slug may contain only lower-case letters, digits and hyphens, and must start and end with a letter or digit';
}

/** A slug from a name: lower-case ASCII letters and digits, other runs become one hyphen. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, ORG_LIMITS.slugMax - 5)
    .replace(/-+$/, '');
  return slug.length >= ORG_LIMITS.slugMin ? slug : `org-${slug ? `${slug}-` : ''}${randomBytes(2).toString('hex')}`;
}

/** The slug with a short random suffix, for a derived slug that is taken. */
export const withSuffix = (slug: string): string => `${slug}-${randomBytes(2).toString('hex')}`;

const isDomain = (value: string): boolean => {
  if (value.length > ORG_LIMITS.domainMax || value !== value.toLowerCase()) return false;
  const labels = value.split('.');
  if (labels.length < 2) return false;
  const tld = labels.pop()!;
  return (
    PATTERNS.topLevelDomain.test(tld) &&
    labels.every((l) => PATTERNS.domainLabel.test(l) && !l.startsWith('-') && !l.endsWith('-'))
  );
};

/** Lower-case DNS names (no scheme, no port, no wildcard), at most 50, no repeats. Answers them as given. */
export function checkDomains(errors: FieldErrors, value: readonly string[]): void {
  if (value.length > ORG_LIMITS.domainsMax) {
    errors.domains = `At most ${ORG_LIMITS.domainsMax} domains`;
    return;
  }
  const bad = value.find((d) => typeof d !== 'string' || !isDomain(d));
  if (bad !== undefined) errors.domains = `"${String(bad).slice(0, 260)}" is not a lower-case domain name`;
  else if (new Set(value).size !== value.length) errors.domains = 'A domain is listed twice';
}

/** The 409s: a slug or a domain another organization has. */
export const slugTaken = (slug: string): AppError =>
  new AppError('DUPLICATE_RESOURCE', `Slug "${slug}" is taken`, { field: 'slug', value: slug });
export const domainTaken = (domain: string): AppError =>
  new AppError('DUPLICATE_RESOURCE', `Domain "${domain}" belongs to another organization`, {
    field: 'domains',
    value: domain,
  });

/** An invitation's end: 7 days by default, at most 30 days ahead, and in the future. */
export function invitationExpiry(given: string | undefined, now: number): string {
  const day = 86_400_000;
  if (given === undefined) return new Date(now + ORG_LIMITS.invitationDaysDefault * day).toISOString();
  const at = Date.parse(given);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(given) || Number.isNaN(at))
    throw validationError({ expires_at: 'expires_at must be an ISO 8601 date-time' });
  if (at <= now) throw validationError({ expires_at: 'expires_at must be in the future' });
  if (at > now + ORG_LIMITS.invitationDaysMax * day)
    throw validationError({ expires_at: `expires_at must be at most ${ORG_LIMITS.invitationDaysMax} days ahead` });
  return new Date(at).toISOString();
}
