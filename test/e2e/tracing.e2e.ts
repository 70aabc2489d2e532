// The browser's trace context in Debian's Chromium against the real stack, whose api and worker
// export their spans to a FAKE OTLP collector (@saas/shared/tracing, started by run.ts): every
// API call the web makes carries a W3C traceparent (the API's CORS allows exactly that header,
// so the cross-origin calls still succeed), and the API's request span continues it — for an
// upload, through the enqueue into the worker's job span.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page, Request } from 'playwright-core';
import { makePng, waitUntil } from '@saas/shared/test-support';
import { FAKE_OTLP_SPANS_PATH } from '@saas/shared/tracing';
import { openBrowserPage } from './support/browser.ts';

const webUrl = process.env.E2E_WEB_URL;
const apiUrl = process.env.E2E_API_URL;
const otlpUrl = process.env.E2E_FAKE_OTLP_URL;
if (!webUrl || !apiUrl || !otlpUrl)
  throw new Error('run the browser tests with `npm run test:e2e` (it starts the stack)');

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

async function spans(): Promise<Span[]> {
  const res = await fetch(`${otlpUrl}${FAKE_OTLP_SPANS_PATH}`);
  if (!res.ok) throw new Error(`fake OTLP collector: HTTP ${res.status}`);
  return ((await res.json()) as { spans: Span[] }).spans;
}

/** The trace id and span id a browser request sent, failing the test when it sent none. */
function sentContext(req: Request): { traceId: string; spanId: string } {
  const header = req.headers().traceparent ?? '';
  const m = TRACEPARENT.exec(header);
  if (!m) throw new Error(`no valid traceparent on ${req.method()} ${req.url()}: "${header}"`);
  return { traceId: m[1]!, spanId: m[2]! };
}

const isApiCall = (method: string, path: RegExp) => (req: Request) =>
  req.method() === method &&
  req.url().startsWith(`${apiUrl}/`) &&
  path.test(new URL(req.url()).pathname);

let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ browser, page } = await openBrowserPage(webUrl));
});

afterAll(async () => {
  await browser?.close();
});

describe('trace context from the browser (api and worker exporting to a fake OTLP collector)', () => {
  it('the web sends a traceparent on its API calls, and the API continues that trace', async () => {
    await page.goto('/login');
    await page.getByLabel('Email address').fill(`e2e-trace-${Date.now().toString(36)}@example.com`);
    const list = page.waitForResponse((r) => isApiCall('GET', /^\/v1\/uploads$/)(r.request()));
    await page.getByRole('button', { name: 'Sign in (development)' }).click();
    const res = await list;
    // The header passed CORS: the browser made the call and read its answer.
    expect(res.status()).toBe(200);
    const sent = sentContext(res.request());

    const server = await waitUntil('the API span of the browser call', async () =>
      (await spans()).find(
        (s) => s.service === 'api' && s.traceId === sent.traceId && s.kind === 2,
      ),
    );
    expect(server.name).toBe('GET /v1/uploads');
    expect(server.parentSpanId).toBe(sent.spanId);
  });

  it('an upload’s complete call is one trace through the API, the queue and the worker', async () => {
    await page.getByRole('heading', { name: 'Your uploads' }).waitFor();
    const complete = page.waitForRequest(isApiCall('POST', /^\/v1\/uploads\/[^/]+\/complete$/));
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'traced.png', mimeType: 'image/png', buffer: makePng(32, 32) });
    const sent = sentContext(await complete);

    const trace = await waitUntil(
      'the job span of the upload in the browser’s trace',
      async () => {
        const inTrace = (await spans()).filter((s) => s.traceId === sent.traceId);
        return inTrace.some((s) => s.service === 'worker' && s.kind === 5) &&
          inTrace.some((s) => s.service === 'api' && s.kind === 2)
          ? inTrace
          : undefined;
      },
      30_000,
    );
    const server = trace.find((s) => s.service === 'api' && s.kind === 2)!;
    expect(server.name).toBe('POST /v1/uploads/:id/complete');
    expect(server.parentSpanId).toBe(sent.spanId);
    const enqueue = trace.find((s) => s.service === 'api' && s.kind === 4)!;
    expect(enqueue.parentSpanId).toBe(server.spanId);
    const job = trace.find((s) => s.service === 'worker' && s.kind === 5)!;
    expect(job.parentSpanId).toBe(enqueue.spanId);
  });
});
