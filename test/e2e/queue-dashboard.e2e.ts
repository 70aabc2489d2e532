// The API's queue dashboard (bull-board at /admin/queues) in Debian's Chromium against the real
// stack: anonymous and non-admin requests are refused, an operator signs in with the dashboard
// token (HTTP Basic), sees a job that failed for good with its error, retries it, and the job
// runs to completion in the real worker — the upload it belongs to ends `ready`.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { JOBS, QUEUES } from '@saas/shared/queue';
import { makePng, testServices, waitUntil } from '@saas/shared/test-support';
import { collectPageErrors, launchChromium, screenshot } from './support/browser.ts';

const apiUrl = process.env.E2E_API_URL;
const dashboardToken = process.env.E2E_QUEUE_DASHBOARD_TOKEN;
const prefix = process.env.E2E_QUEUE_PREFIX;
if (!apiUrl || !dashboardToken || !prefix)
  throw new Error('run the browser tests with `npm run test:e2e` (it starts the stack)');

const DASHBOARD = `${apiUrl}/admin/queues`;
// What the page cannot load under its CSP and does without: the Google Fonts stylesheet it
// links (no third-party requests from an admin page) and one style element its bundle injects.
const KNOWN_BLOCKED = /fonts\.googleapis\.com|style-src-elem inline|Applying inline style/;

let browser: Browser;
let page: Page;
let errors: string[];
let redis: Redis;
let queue: Queue;
let token: string;

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${apiUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
}

beforeAll(async () => {
  const login = await fetch(`${apiUrl}/v1/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `e2e-queues-${randomBytes(4).toString('hex')}@example.com` }),
  });
  token = ((await login.json()) as { accessToken: string }).accessToken;
  redis = new Redis(testServices.redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUES.uploads, { connection: redis, prefix });
  browser = await launchChromium();
  const context = await browser.newContext({
    httpCredentials: { username: 'operator', password: dashboardToken },
    viewport: { width: 1280, height: 800 },
  });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  errors = await collectPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await queue?.close();
  redis?.disconnect();
});

describe('queue dashboard in a real browser', () => {
  it('is refused without credentials (401) and to a normal user (403)', async () => {
    const anonymous = await fetch(DASHBOARD);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const user = await fetch(`${DASHBOARD}/api/queues`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(user.status).toBe(403);
  });

  it('an operator sees a job that failed for good and retries it to completion', async () => {
    // An upload created but not completed yet: its job, forced in early with one attempt,
    // fails for good ("pending, not uploaded yet"). The upload is then completed (whose own
    // enqueue is a no-op: the failed job holds its id) and the operator retries the job.
    const png = makePng(24, 24);
    const created = await api('/v1/uploads', {
      method: 'POST',
      body: JSON.stringify({ filename: 'queued.png', contentType: 'image/png', size: png.length }),
    });
    expect(created.status).toBe(201);
    const upload = (await created.json()) as {
      id: string;
      uploadUrl: string;
      headers: Record<string, string>;
    };
    await queue.add(
      JOBS.processUpload,
      { uploadId: upload.id, requestId: 'e2e-forced-failure' },
      { jobId: upload.id, attempts: 1 },
    );
    await waitUntil(
      'the forced job failed',
      async () => (await queue.getJobState(upload.id)) === 'failed',
      30_000,
    );

    await page.goto(`${DASHBOARD}/queue/${QUEUES.uploads}?status=failed`);
    await page
      .getByText(/not uploaded yet/)
      .first()
      .waitFor();
    await screenshot(page, 'queue-dashboard-failed');

    expect(
      (await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.headers, body: png })).ok,
    ).toBe(true);
    expect((await api(`/v1/uploads/${upload.id}/complete`, { method: 'POST' })).status).toBe(200);
    expect(await queue.getJobState(upload.id)).toBe('failed');

    // The job card's icon buttons have no accessible name, only a tooltip: the first one in
    // the card is Retry (checked by its tooltip before clicking), then the confirm dialog.
    const retry = page
      .getByText(upload.id, { exact: true })
      .locator('xpath=ancestor::*[.//button][1]')
      .getByRole('button')
      .first();
    await retry.hover();
    await page.getByText('Retry', { exact: true }).waitFor();
    await retry.click();
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await waitUntil(
      'the retried job completed',
      async () => (await queue.getJobState(upload.id)) === 'completed',
      30_000,
    );
    await waitUntil(
      'the upload is ready',
      async () => {
        const res = await api(`/v1/uploads/${upload.id}`);
        return ((await res.json()) as { status: string }).status === 'ready';
      },
      30_000,
    );
    await page.goto(`${DASHBOARD}/queue/${QUEUES.uploads}?status=completed`);
    await page.getByText(upload.id).first().waitFor();
    await screenshot(page, 'queue-dashboard-completed');
    expect(errors.filter((e) => !KNOWN_BLOCKED.test(e))).toEqual([]);
  });
});
