/**
 * The hosted sign-in pages' brand (read by config.ts with the rest).
 */

/** What the hosted sign-in pages show: the product's name, its logo and its colour. */
export interface BrandSettings {
  readonly name: string;
  readonly logoUrl: string | undefined;
  /** A CSS hex colour (#rgb or #rrggbb) for buttons and links. */
  readonly color: string;
}

type Env = Record<string, string | undefined>;
type Fail = (variable: string, problem: string) => Error;

const text = (env: Env, name: string) => {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
};

const httpUrl = (raw: string) => {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
};

export function brandOf(env: Env, fail: Fail): BrandSettings {
  const name = text(env, 'USHER_BRAND_NAME') ?? 'Usher';
  if (name.length > 60 || [...name].some((c) => c.charCodeAt(0) < 32))
    throw fail('USHER_BRAND_NAME', 'must be 1-60 printable characters');
  const logoUrl = text(env, 'USHER_BRAND_LOGO_URL');
  if (logoUrl !== undefined && httpUrl(logoUrl)?.protocol !== 'https:' && !logoUrl.startsWith('/'))
    throw fail('USHER_BRAND_LOGO_URL', `must be an https URL or a path on this server, got "${logoUrl}"`);
  const color = text(env, 'USHER_BRAND_COLOR') ?? '#2563eb';
  if (!/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color))
    throw fail('USHER_BRAND_COLOR', `must be a hex colour such as #2563eb, got "${color}"`);
  return { name, logoUrl, color };
}
