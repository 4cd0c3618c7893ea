import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../core/errors.js';
import { ROOT } from '../paths.js';

/**
 * What the /docs page may load: its scripts, stylesheet, images and the
 * OpenAPI document from its own origin, plus the data: images inside
 * Swagger UI's CSS. Nothing from another origin; no inline script (the
 * initializer is a file), no eval, no inline <style> (Swagger UI sets styles
 * through the DOM, which CSP allows), no fonts, forms or frames.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The files the page loads, all from disk: swagger-ui-dist's own, and our initializer. */
const ASSETS: Record<string, { path: string; type: string }> = {
  'swagger-ui-bundle.js': { path: join(SWAGGER_UI, 'swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { path: join(SWAGGER_UI, 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
  'favicon-32x32.png': { path: join(SWAGGER_UI, 'favicon-32x32.png'), type: 'image/png' },
  'initializer.js': { path: join(ROOT, 'assets', 'docs-initializer.js'), type: 'text/javascript; charset=utf-8' },
};
// Read once per process, on first use.
const loaded = new Map<string, Buffer>();
const asset = (name: string): Buffer => {
  let data = loaded.get(name);
  if (!data) loaded.set(name, (data = readFileSync(ASSETS[name]!.path)));
  return data;
};

/**
 * The page. Its files are linked relatively (./x from /docs/, ./docs/x from /docs), so a path prefix in front of Usher
 * still works.
 */
const page = (prefix: string) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Usher API reference</title>
<link rel="stylesheet" href="${prefix}swagger-ui.css">
<link rel="icon" type="image/png" href="${prefix}favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${prefix}swagger-ui-bundle.js"></script>
<script src="${prefix}initializer.js"></script>
</body>
</html>
`;
const PAGES = { slash: page('./'), bare: page('./docs/') };

/** The interactive API reference: Swagger UI over /openapi.json, served entirely from the installed swagger-ui-dist. */
export function docsRoutes(app: FastifyInstance): void {
  app.get(
    '/docs',
    {
      schema: {
        tags: ['system'],
        summary: 'This API reference, interactive (Swagger UI over /openapi.json); also at /docs/',
        response: { 200: { description: 'The HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const slash = request.url.split('?')[0]!.endsWith('/');
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', DOCS_CSP)
        .send(slash ? PAGES.slash : PAGES.bare);
    },
  );

  // Static files, not API operations: kept out of the document (test/http/openapi-contract.test.ts skips this route),
  // and not rate limited: they are four fixed files from memory, and a page load needs them all.
  app.get('/docs/:file', { schema: { hide: true }, config: { rateLimit: false } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    if (!Object.hasOwn(ASSETS, file)) throw notFound('File');
    return (
      reply
        .type(ASSETS[file]!.type)
        // The same for a given install; a day in caches bounds how long an upgrade takes to show.
        .header('cache-control', 'public, max-age=86400')
        .removeHeader('pragma')
        .send(asset(file))
    );
  });
}
