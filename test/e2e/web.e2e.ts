// The web app in Debian's Chromium against the real local stack (started by test/e2e/run.ts):
// dev sign-in → upload a real PNG with a progress bar → ready → download the same bytes; a fake
// PNG → rejected with its reason; the status page shows every check the API reports; axe finds
// no serious or critical violation on any page. Screenshots go to artifacts/screenshots/.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { healthReport } from '@saas/shared/contracts';
import { openBrowserPage, screenshot, seriousA11yViolations } from './support/browser.ts';
import { makePng } from '@saas/shared/test-support';

const webUrl = process.env.E2E_WEB_URL;
const apiUrl = process.env.E2E_API_URL;
const apiPid = Number(process.env.E2E_API_PID);
if (!webUrl || !apiUrl || !apiPid)
  throw new Error('run the browser tests with `npm run test:e2e` (it starts the stack)');

const email = `e2e-${Date.now().toString(36)}@example.com`;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

const row = (filename: string): Locator =>
  page.locator('li.upload-item', { has: page.getByText(filename, { exact: true }) });

beforeAll(async () => {
  ({
    browser,
    context,
    page,
    errors: pageErrors,
  } = await openBrowserPage(webUrl, { acceptDownloads: true }));
});

afterAll(async () => {
  await browser?.close();
});

describe('web app in a real browser', () => {
  it('signs in with the dev login, and the session survives a reload', async () => {
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'login');

    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Sign in (development)' }).click();
    await page.getByRole('heading', { name: 'Your uploads' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByText('No uploads yet.').waitFor();
    await page.getByText(/^Accepted: PNG, JPEG/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'uploads-empty');

    await page.reload();
    await page.getByRole('heading', { name: 'Your uploads' }).waitFor();
    await page.getByText(email).waitFor();
  });

  it('uploads a real PNG with a progress bar, sees it ready, and downloads the same bytes', async () => {
    // ~1.3 MB of noise, sent at 512 KB/s: the progress bar is on screen for a few seconds.
    const png = makePng(640, 680, { noise: true });
    const progress: number[] = [];
    await page.exposeFunction('__recordProgress', (v: number) => progress.push(v));
    // Runs in the page (a string: this file is type-checked without the DOM library).
    await page.evaluate(`new MutationObserver(() => {
      for (const p of document.querySelectorAll('progress')) window.__recordProgress(p.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] })`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 512 * 1024,
    });

    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'real.png', mimeType: 'image/png', buffer: png });
    const bar = page.getByRole('progressbar', { name: 'Upload progress of real.png' });
    await bar.waitFor();
    await page.getByText(/Uploading \d+%/).waitFor();
    await screenshot(page, 'uploads-progress');

    await row('real.png').locator('[data-status="ready"]').waitFor({ timeout: 60_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
    expect(progress.some((v) => v > 0 && v < 100)).toBe(true);
    expect(Math.max(...progress)).toBe(100);
    expect(await bar.count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download real.png' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('real.png');
    const bytes = await readFile(await download.path());
    expect(bytes.equals(png)).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('shows a fake PNG as rejected with the reason, and refuses a disallowed type before uploading', async () => {
    const fake = Buffer.from('This is plain text wearing a .png name, not an image.\n'.repeat(20));
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: fake });
    const fakeRow = row('fake.png');
    await fakeRow.locator('[data-status="rejected"]').waitFor({ timeout: 60_000 });
    const reason = (await fakeRow.locator('.reason').textContent()) ?? '';
    expect(reason).toMatch(/^Rejected: \S/);
    expect(await fakeRow.getByRole('button', { name: 'Download fake.png' }).count()).toBe(0);

    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    const alert = row('notes.txt').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'Not uploaded. It is a text/plain file; accepted types are PNG, JPEG, GIF, WEBP, PDF.',
    );

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'uploads');
  });

  it('deletes an upload', async () => {
    await page.getByRole('button', { name: 'Delete fake.png' }).click();
    await row('fake.png').waitFor({ state: 'detached' });
    await row('real.png').waitFor();
  });

  it('shows every check the API reports on the status page, with state and latency', async () => {
    const res = await fetch(`${apiUrl}/health`);
    const report = healthReport.parse(await res.json());
    const names = Object.keys(report.checks);
    expect(names).toEqual(expect.arrayContaining(['db', 'redis', 'storage', 'worker']));

    await page.getByRole('link', { name: 'Status' }).click();
    await page.getByRole('heading', { name: 'System status' }).waitFor();
    await page.locator('tr[data-check]').first().waitFor();
    const rows = await page.locator('tr[data-check]').evaluateAll((trs) =>
      trs.map((tr) => ({
        check: tr.getAttribute('data-check'),
        cells: [...tr.querySelectorAll('th,td')].map((c) => c.textContent ?? ''),
      })),
    );
    expect(rows.map((r) => r.check).sort()).toEqual([...names].sort());
    for (const r of rows) {
      expect(r.cells[1]).toBe('ok');
      expect(r.cells[2]).toMatch(/^\d+ ms$/);
    }
    await page.getByText('All systems operational.').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'status');
  });

  it('signs out, and the dashboard then sends the browser to /login', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    await page.goto('/');
    await page.waitForURL('**/login');
    expect(pageErrors).toEqual([]);
  });

  it('keeps the status page readable when the API is down', async () => {
    // Last: the API stays down. Stopped by its pid, as the runner started it.
    process.kill(apiPid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const up = await fetch(`${apiUrl}/health/live`).then(
        () => true,
        () => false,
      );
      if (!up) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.goto('/status');
    await page.getByText(/The API is not answering/).waitFor();
    await page.getByText(/The API is not reachable from the web server\./).waitFor();
    expect(await page.locator('tr[data-check]').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'status-api-down');
  });
});
