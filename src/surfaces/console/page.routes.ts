import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../../core/errors.js';
import { ROOT } from '../../paths.js';
import { ErrorV1 } from '../api-v1/schemas.js';
import { consoleApi } from './index.js';

/**
 * The admin console's page and files (packages/console, built by `npm ci`
 * into its dist/). Everything it loads comes from this origin; its API calls
 * go to /api/v1 and /console/api. No inline script or style.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const DIST = join(ROOT, 'packages', 'console', 'dist');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The build's files, read once: the page, and the assets by their (content-hashed) names. */
function loadBuild(): { page: Buffer; assets: Map<string, Buffer> } | undefined {
  if (!existsSync(join(DIST, 'index.html'))) return undefined;
  const assets = new Map<string, Buffer>();
  const dir = join(DIST, 'assets');
  if (existsSync(dir))
    for (const name of readdirSync(dir)) if (TYPES[extname(name)]) assets.set(name, readFileSync(join(dir, name)));
  return { page: readFileSync(join(DIST, 'index.html')), assets };
}

export function consoleRoutes(app: FastifyInstance): void {
  let build: ReturnType<typeof loadBuild>;
  const current = () => (build ??= loadBuild());
  const page = (reply: FastifyReply) => {
    const b = current();
    // A checkout that skipped `npm run build` (npm ci runs it).
    if (!b) throw notFound('Console build');
    // The page names the current asset files: never cached, so an upgrade shows at once.
    return reply.type('text/html; charset=utf-8').header('content-security-policy', CONSOLE_CSP).send(b.page);
  };

  app.get(
    '/console',
    {
      schema: {
        tags: [consoleApi.tag.name],
        summary: 'The admin console (admins and moderators): a single-page app; /console/* answers the same page',
        // Outside every surface, errors are in the root (/api/v1) envelope.
        response: {
          200: { description: 'The HTML page', content: { 'text/html': { schema: { type: 'string' } } } },
          404: {
            description: 'The console is not built (npm run build; npm ci runs it)',
            content: { 'application/json': { schema: ErrorV1 } },
          },
        },
      },
    },
    async (_request, reply) => page(reply),
  );

  // Its files and its pages' paths (/console/users/{id}): not API operations, so kept out of the document.
  app.get('/console/*', { schema: { hide: true }, config: { rateLimit: false } }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    if (path.startsWith('api/')) throw notFound('Route');
    if (!path.startsWith('assets/')) return page(reply);
    const name = path.slice('assets/'.length);
    const data = current()?.assets.get(name);
    if (!data) throw notFound('File');
    // Vite names each file by its content: safe to cache for good.
    return reply
      .type(TYPES[extname(name)]!)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .removeHeader('pragma')
      .send(data);
  });
}
