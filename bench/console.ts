import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/**
 * The console's first page of users, as a person sees it: a fresh browser
 * signs in, then opens /console/users cold (a page load, the session
 * restored from its cookie, one list call) and waits for the first row.
 * Median and worst of `runs` loads, in milliseconds; undefined without
 * Chromium (Debian's package, never a download).
 */
export async function consoleFirstPage(
  base: string,
  login: { username: string; password: string },
  runs = 5,
): Promise<{ medianMs: number; worstMs: number } | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel('Username or email').fill(login.username);
    await page.getByLabel('Password').fill(login.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'Users' }).waitFor();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await page.goto(`${base}/console/users`);
      await page.locator('table tbody tr a').first().waitFor();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[Math.floor(times.length / 2)]!, worstMs: times[times.length - 1]! };
  } finally {
    await browser.close();
  }
}
