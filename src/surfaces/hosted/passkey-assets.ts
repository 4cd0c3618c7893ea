import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ROOT } from '../../paths.js';

/** The browser library, from the installed package (its UMD bundle defines `SimpleWebAuthnBrowser`). */
const LIBRARY = join(
  dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')),
  '..',
  'dist',
  'bundle',
  'index.umd.min.js',
);

/** The hosted sign-in page's passkey scripts, served beside its stylesheet under /oidc/assets (read once). */
export function passkeyAssets(app: FastifyInstance): void {
  const files: Record<string, string> = {
    'webauthn.js': readFileSync(LIBRARY, 'utf8'),
    'passkey.js': readFileSync(join(ROOT, 'assets', 'hosted-passkey.js'), 'utf8'),
  };
  for (const [name, text] of Object.entries(files))
    app.get(`/assets/${name}`, { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=3600').type('text/javascript; charset=utf-8').send(text),
    );
}
