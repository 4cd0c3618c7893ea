import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { TestContext } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';

/** Helpers for driving the hosted sign-in pages in Debian's Chromium (test/oidc/hosted-pages.test.ts). */

export const CHROMIUM = '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function assertChromium(): void {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install chromium). This test never downloads a browser.`,
  );
}

export interface Violation {
  id: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2 A and AA rules on the page as it is. axe is evaluated through the DevTools protocol, which the
 * page's CSP (no script at all) does not apply to, so the page is checked under its real policy.
 */
export async function axe(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const { axe: run } = globalThis as unknown as {
      axe: {
        run(
          context: unknown,
          options: unknown,
        ): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> }>;
      };
    };
    const result = await run.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
    });
    return result.violations.map(({ id, help, nodes }) => ({
      id,
      help,
      targets: nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/** Asserts axe finds nothing on the page, naming it in the failure. */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  assert.deepEqual(await axe(page), [], `axe violations on the ${name} page`);
}

export interface HostedDocument {
  url: string;
  status: number;
  csp: string | undefined;
  body: string;
}

/**
 * Every HTML document `origin` sends to the context's pages (redirects have no body and are left out), and every
 * error the pages report (console errors include CSP refusals; failed loads).
 */
export function watchDocuments(
  context: BrowserContext,
  origin: string,
): { documents: HostedDocument[]; errors: string[] } {
  const seen = { documents: [] as HostedDocument[], errors: [] as string[] };
  context.on('response', async (response) => {
    const request = response.request();
    if (request.resourceType() !== 'document' || !response.url().startsWith(origin)) return;
    if (response.status() >= 300 && response.status() < 400) return;
    const headers = response.headers();
    seen.documents.push({
      url: response.url(),
      status: response.status(),
      csp: headers['content-security-policy'],
      body: await response.text().catch(() => ''),
    });
  });
  context.on('requestfailed', (request) =>
    seen.errors.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  context.on('console', (message) => {
    // A page answered with an error status (a wrong password is a 401) is logged by Chromium; that is expected.
    if (
      message.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of 4/.test(message.text())
    )
      seen.errors.push(`console: ${message.text()}`);
  });
  return seen;
}

/** The application's side: a real HTTP server on 127.0.0.1 that records every URL asked of it (path and query). */
export async function callbackServer(t: TestContext): Promise<{ origin: string; hits: URL[] }> {
  const hits: URL[] = [];
  const server = createServer((request, response) => {
    hits.push(new URL(request.url ?? '/', 'http://127.0.0.1'));
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      '<!doctype html><html lang="en"><title>The application</title><h1>Back at the application</h1></html>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, hits };
}

/** Waits for the page to be at `uri` (its query aside); else fails saying where it is and what it shows. */
export const landedOn = (page: Page, uri: string) =>
  page
    .waitForURL((url) => url.href.split('?')[0] === uri)
    .catch(async (error: Error) => {
      throw new Error(`not at ${uri} but ${page.url()}: ${await page.locator('body').innerText()}`, { cause: error });
    });

/**
 * Every document has a CSP that allows no script but the hosted pages' own files (no 'unsafe-inline', no other
 * origin), and carries no inline script: only the sign-in page's passkey scripts, by address.
 */
export function assertScriptFree(documents: HostedDocument[], atLeast: number): void {
  assert.ok(documents.length >= atLeast, `pages seen: ${documents.map((d) => d.url).join(', ')}`);
  for (const d of documents) {
    assert.ok(d.csp, `a CSP on ${d.url}`);
    assert.match(d.csp, /default-src 'none'/, d.url);
    assert.doesNotMatch(d.csp, /unsafe-inline|unsafe-eval/, `no inline script allowed on ${d.url}`);
    for (const [, sources] of d.csp.matchAll(/script-src([^;]*)/g))
      assert.equal(sources!.trim(), "'self'", `scripts only from this server on ${d.url}`);
    for (const tag of d.body.match(/<script[^>]*>/gi) ?? [])
      assert.match(tag, /^<script src="\/oidc\/assets\/[a-z-]+\.js" defer>$/, `no inline script in ${d.url}`);
  }
}
