import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { DOCS_CSP } from '../../src/http/docs.routes.js';
import { build } from '../support/helper.js';

/**
 * GET /docs in a real browser: Debian's Chromium, headless, through
 * playwright-core (no browser is ever downloaded; CI installs the package,
 * .ci/run). Swagger UI must render every documented operation under its tag,
 * load nothing from another origin, and log no error (a CSP violation is one).
 */

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCREENSHOT = fileURLToPath(new URL('../../docs/images/docs-page.png', import.meta.url));
/** One operation of each surface, as the page must list it (the test also checks all of them). */
const ONE_PER_TAG = [
  'api/v1: GET /api/v1/users',
  'v1 (API key): GET /v1/users',
  'profiles: POST /api/users/profiles',
  'account: POST /api/login/',
  'system: GET /health',
];

interface Watched {
  requests: string[];
  errors: string[];
}

/**
 * Every request the pages of `context` make, and every error they report (console, uncaught, failed or refused loads).
 */
function watch(context: BrowserContext): Watched {
  const seen: Watched = { requests: [], errors: [] };
  context.on('request', (request) => seen.requests.push(request.url()));
  context.on('requestfailed', (request) =>
    seen.errors.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  context.on('response', (response) => {
    if (response.status() >= 400) seen.errors.push(`${response.status()}: ${response.url()}`);
  });
  context.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(`console: ${message.text()}`);
  });
  context.on('weberror', (error) => seen.errors.push(`uncaught: ${error.error().message}`));
  return seen;
}

test('GET /docs renders Swagger UI for every surface in headless Chromium, from its own origin only, without errors', {
  timeout: 180_000,
}, async (t) => {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does it). This test never downloads a browser.`,
  );
  // The default rate limits stay on, on the real clock: the page's loads (6 requests each, fewer from the cache) must
  // fit in them.
  const api = await build(t, { USHER_RATE_LIMIT: 'on' }, { now: Date.now });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const documented = Object.entries<Record<string, { tags?: string[] }>>(
    (api.app as unknown as { swagger(): { paths: Record<string, Record<string, { tags?: string[] }>> } }).swagger()
      .paths,
  ).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, op]) =>
      (op.tags ?? ['default']).map((tag) => `${tag}: ${method.toUpperCase()} ${path}`),
    ),
  );

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });

    // 1. Under the page's real CSP.
    const strict = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const seen = watch(strict);
    const page = await strict.newPage();
    const response = await page.goto(`${base}/docs`);
    assert.equal(response?.status(), 200);
    assert.equal(response?.headers()['content-security-policy'], DOCS_CSP);
    await page.waitForSelector('.swagger-ui .information-container h1.title');
    await page.waitForSelector('.opblock');
    assert.match(await page.innerText('.information-container h1.title'), /^Usher/);

    // What Swagger UI rendered, read from the page: each tag's section and the operations in it.
    const rendered: string[] = await page.$$eval('.opblock-tag-section', (sections) =>
      sections.flatMap((section) => {
        const tag = section.querySelector('.opblock-tag')?.getAttribute('data-tag');
        return [...section.querySelectorAll('.opblock')].map(
          (op) =>
            `${tag}: ${op.querySelector('.opblock-summary-method')?.textContent} ${op.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        );
      }),
    );
    for (const op of ONE_PER_TAG) assert.ok(rendered.includes(op), `the page lists ${op}`);
    assert.deepEqual(
      [...rendered].sort(),
      [...documented].sort(),
      'the page lists every documented operation, under its tag',
    );

    // Deep linking, on the /docs/ form of the URL (assets relative to it).
    await page.goto(`${base}/docs/#/system/getHealth`);
    await page.waitForSelector('#operations-system-getHealth.is-open');

    assert.deepEqual(
      seen.errors,
      [],
      'no console error, uncaught error or failed load (CSP violations are console errors)',
    );
    assert.ok(seen.requests.length >= 6, `requests seen: ${seen.requests.join(', ')}`);
    const elsewhere = seen.requests.filter((url) => !url.startsWith(`${base}/`));
    assert.deepEqual(elsewhere, [], 'no request left the origin');
    await strict.close();

    // 2. Accessibility: axe-core is injected as an inline script, which the page's CSP refuses, so this context
    // bypasses CSP.
    const open = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const seenOpen = watch(open);
    const axePage = await open.newPage();
    await axePage.goto(`${base}/docs`);
    await axePage.waitForSelector('.opblock');
    await axePage.addScriptTag({ path: AXE });
    const violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }> =
      await axePage.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: {
              run(): Promise<{
                violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }>;
              }>;
            };
          }
        ).axe;
        return (await axe.run()).violations.map(({ id, impact, help, nodes }) => ({
          id,
          impact,
          help,
          nodes: nodes.map(() => 0),
        }));
      });
    for (const v of violations) t.diagnostic(`axe ${v.impact}: ${v.id} (${v.nodes.length} nodes): ${v.help}`);
    const critical = violations.filter((v) => v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
    assert.deepEqual(
      critical,
      [],
      "no critical accessibility violation (serious ones are Swagger UI's own, e.g. colour contrast)",
    );

    // The screenshot for the docs; the document's URL (it names this run's port) is hidden so the image only changes
    // with the page.
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await axePage.screenshot({
      path: SCREENSHOT,
      animations: 'disabled',
      caret: 'hide',
      style: '.information-container .info .link { visibility: hidden; }',
    });
    assert.deepEqual(seenOpen.errors, []);
    assert.deepEqual(
      seenOpen.requests.filter((url) => !url.startsWith(`${base}/`)),
      [],
    );
    await open.close();
  } finally {
    await browser?.close();
  }
});

test('GET /docs and /docs/ answer the page under its own CSP; /docs/{file} serves only the listed files, cacheable', async (t) => {
  const api = await build(t);
  for (const url of ['/docs', '/docs/', '/docs?x=1']) {
    const res = await api.request('GET', url);
    assert.equal(res.status, 200, url);
    assert.match(String(res.headers['content-type']), /^text\/html/, url);
    assert.equal(res.headers['content-security-policy'], DOCS_CSP, url);
    assert.equal(res.headers['x-frame-options'], 'DENY', url);
    // Asset URLs relative to the page, whichever form of its URL was asked for; no other origin, no inline script.
    const scripts = [...res.raw.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(
      scripts,
      url === '/docs/'
        ? ['<script src="./swagger-ui-bundle.js">', '<script src="./initializer.js">']
        : ['<script src="./docs/swagger-ui-bundle.js">', '<script src="./docs/initializer.js">'],
      url,
    );
    assert.doesNotMatch(res.raw, /https?:\/\//, url);
  }
  for (const [file, type] of [
    ['swagger-ui-bundle.js', 'text/javascript'],
    ['swagger-ui.css', 'text/css'],
    ['initializer.js', 'text/javascript'],
    ['favicon-32x32.png', 'image/png'],
  ]) {
    const res = await api.request('GET', `/docs/${file}`);
    assert.equal(res.status, 200, file);
    assert.match(String(res.headers['content-type']), new RegExp(`^${type}`), file);
    assert.equal(res.headers['cache-control'], 'public, max-age=86400', file);
    assert.equal(res.headers.pragma, undefined, file);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', file);
  }
  for (const url of [
    '/docs/index.html',
    '/docs/swagger-ui-bundle.js.map',
    '/docs/package.json',
    '/docs/..%2Fpackage.json',
    '/docs/..%2F..%2Fpackage.json',
    '/docs/%2e%2e',
    '/docs/constructor',
    '/docs/__proto__',
  ]) {
    const res = await api.request('GET', url);
    assert.equal(res.status, 404, url);
    assert.equal(res.headers['cache-control'], 'no-store', url);
  }
});
