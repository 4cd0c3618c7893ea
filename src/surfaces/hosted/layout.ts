import type { BrandSettings } from '../../config.identity.js';

/** Where the hosted pages' stylesheet is served (hosted.routes.ts). */
export const STYLESHEET = '/oidc/assets/hosted.css';

/**
 * The hosted pages' policy: nothing but their own stylesheet, the brand's
 * logo, and their own script files (the sign-in page's passkey button and
 * autofill, which fetch their options from this server); never an inline
 * script, and every page works without JavaScript. No form-action: a
 * sign-in's form is answered by a redirect to the application, which
 * browsers would check against it.
 */
export const HOSTED_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' https: data:; frame-ancestors 'none'";

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text or an attribute value, escaped for HTML. */
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** A notice above a form: an error (announced to screen readers) or information. */
export const notice = (text: string | undefined, kind: 'error' | 'info' = 'error'): string =>
  text ? `<p class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${esc(text)}</p>` : '';

/** A labelled input. */
export function field(
  name: string,
  label: string,
  o: { type?: string; value?: string; autocomplete?: string; required?: boolean; autofocus?: boolean; extra?: string },
): string {
  const attrs = [
    `id="${esc(name)}"`,
    `name="${esc(name)}"`,
    `type="${esc(o.type ?? 'text')}"`,
    o.value !== undefined ? `value="${esc(o.value)}"` : '',
    o.autocomplete ? `autocomplete="${esc(o.autocomplete)}"` : '',
    o.required === false ? '' : 'required',
    o.autofocus ? 'autofocus' : '',
    o.extra ?? '',
  ].filter(Boolean);
  return `<div class="field"><label for="${esc(name)}">${esc(label)}</label><input ${attrs.join(' ')}></div>`;
}

/** A whole page, in the brand's name and look. */
export function page(brand: BrandSettings, title: string, body: string, scripts: readonly string[] = []): string {
  const logo = brand.logoUrl ? `<img class="logo" src="${esc(brand.logoUrl)}" alt="">` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)} · ${esc(brand.name)}</title>
<link rel="stylesheet" href="${STYLESHEET}">
${scripts.map((src) => `<script src="${esc(src)}" defer></script>`).join('\n')}
</head>
<body>
<main class="card">
<header class="brand">${logo}<span class="brand-name">${esc(brand.name)}</span></header>
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** The stylesheet, in the console's look with the brand's colour. */
export function stylesheet(brand: BrandSettings): string {
  return `:root{--brand:${brand.color};--text:#111827;--muted:#4b5563;--line:#d1d5db;--bg:#f3f4f6;--danger:#b91c1c}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:48px 16px}
.card{width:100%;max-width:400px;background:#fff;border:1px solid var(--line);border-radius:12px;padding:32px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.brand{display:flex;align-items:center;gap:10px;margin-bottom:16px}
.logo{height:32px;width:auto}
.brand-name{font-weight:600;color:var(--muted)}
h1{font-size:1.5rem;margin:0 0 16px}
p{margin:0 0 16px}
.field{display:flex;flex-direction:column;margin-bottom:16px}
label{font-weight:600;margin-bottom:4px}
input{font:inherit;padding:10px 12px;border:1px solid #6b7280;border-radius:8px;background:#fff;color:var(--text)}
input:focus,button:focus,a:focus{outline:3px solid var(--brand);outline-offset:2px}
.actions{display:flex;gap:12px;flex-wrap:wrap;margin-top:8px}
button{font:inherit;font-weight:600;padding:10px 16px;border-radius:8px;border:1px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--text);border-color:#6b7280}
a{color:var(--brand)}
.links{margin:16px 0 0;font-size:.95rem}
.card>:last-child{margin-bottom:0}
.passkey{margin:16px 0 0;padding-top:16px;border-top:1px solid var(--line)}
.passkey button{width:100%}
.divided{margin:24px 0 0;padding-top:16px;border-top:1px solid var(--line)}
h2{font-size:1.1rem;margin:0 0 12px}
[hidden]{display:none!important}
.notice{padding:10px 12px;border-radius:8px}
.notice.error{background:#fef2f2;color:var(--danger);border:1px solid #fecaca}
.notice.info{background:#eff6ff;color:#1e3a8a;border:1px solid #bfdbfe}
ul.scopes{padding-left:20px;margin:0 0 16px}
.upstream{display:flex;flex-direction:column;gap:8px;margin-top:16px}
.upstream button{width:100%}
code.user-code{font-size:1.5rem;letter-spacing:.1em}
`;
}
