// The web's browser Sentry SDK in Debian's Chromium. Sentry's ingest cannot run here, so the
// Supabase-mode build (the "everything configured" one, see web/scripts/local-stack.ts) carries a
// DSN pointing at a FAKE Sentry ingest server (@saas/shared/observability, started by run.ts) that
// decodes the SDK's real envelopes. An uncaught error full of secrets and personal data reaches
// the ingest with none of them; tracing stays off; the app's calls to the API carry none of
// Sentry's tracing headers (the API's CORS would refuse them; the W3C traceparent the app sends
// itself is allowed, see tracing.e2e.ts) and still work with the SDK loaded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { SAFE_TEXTS, SECRET_CORPUS, findLeaks } from '@saas/shared/logger';
import { FAKE_SENTRY_ENVELOPES_PATH, type Envelope } from '@saas/shared/observability';
import { sleep } from '@saas/shared/test-support';
import { openBrowserPage } from './support/browser.ts';

const webUrl = process.env.E2E_SUPABASE_WEB_URL;
const apiUrl = process.env.E2E_API_URL;
const ingestUrl = process.env.E2E_FAKE_SENTRY_URL;
const email = process.env.E2E_SUPABASE_EMAIL;
const password = process.env.E2E_SUPABASE_PASSWORD;
if (!webUrl || !apiUrl || !ingestUrl || !email || !password)
  throw new Error('run the browser tests with `npm run test:e2e` (it starts the stack)');

let browser: Browser;
let page: Page;

/** Every envelope the fake ingest has received (from this browser and the web's server). */
async function envelopes(): Promise<Envelope[]> {
  const res = await fetch(`${ingestUrl}${FAKE_SENTRY_ENVELOPES_PATH}`);
  if (!res.ok) throw new Error(`fake Sentry ingest: HTTP ${res.status}`);
  return ((await res.json()) as { envelopes: Envelope[] }).envelopes;
}

const eventsOf = (list: Envelope[]) =>
  list.flatMap((e) =>
    e.items.filter((i) => i.header.type === 'event').map((i) => i.payload as SentryEvent),
  );

interface SentryEvent {
  exception?: { values?: { type?: string; value?: string }[] };
  request?: { url?: string };
  user?: Record<string, unknown>;
}

beforeAll(async () => {
  ({ browser, page } = await openBrowserPage(webUrl));
});

afterAll(async () => {
  await browser?.close();
});

describe('Sentry in the browser (against a fake Sentry ingest server)', () => {
  let before: number;
  let event: SentryEvent;
  let marker: string;

  it('reports an uncaught error to the ingest', async () => {
    before = (await envelopes()).length;
    // Secrets in the URL too: the SDK copies the page's URL into the event.
    const jwt = SECRET_CORPUS.find((s) => s.kind === 'jwt')!.secret;
    const email = SECRET_CORPUS.find((s) => s.kind === 'email')!.secret;
    await page.goto(
      `/login?access_token=${encodeURIComponent(jwt)}&email=${encodeURIComponent(email)}`,
    );
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    const text = [...SECRET_CORPUS.map((s) => s.inText), ...SAFE_TEXTS].join('\n');
    // The SDK is loaded after the page (instrumentation-client.ts imports it once a DSN is
    // built in): throw until its handler has one, each error with its own marker.
    const deadline = Date.now() + 30_000;
    for (let attempt = 1; !event && Date.now() < deadline; attempt += 1) {
      const m = `e2e-sentry-${attempt}`;
      await page.evaluate((message) => {
        setTimeout(() => {
          throw new Error(message);
        });
      }, `${m}\n${text}`);
      await sleep(1000);
      const found = eventsOf(await envelopes()).find((e) =>
        e.exception?.values?.some((v) => v.value?.startsWith(`${m}\n`)),
      );
      if (found) {
        event = found;
        marker = m;
      }
    }
    expect(event).toBeDefined();
    expect(event.exception?.values?.[0]?.type).toBe('Error');
  });

  it('sent no secret or personal data: message, URL, anything in the envelopes', async () => {
    const all = await envelopes();
    const raw = all.map((e) => e.raw).join('\n');
    expect(findLeaks(raw).map((s) => `${s.kind}: ${s.secret.slice(0, 12)}…`)).toEqual([]);
    // Scrubbed, not dropped: the marker and ordinary text survive.
    const value = event.exception?.values?.[0]?.value ?? '';
    expect(value.startsWith(`${marker}\n`)).toBe(true);
    for (const safe of SAFE_TEXTS.slice(0, 5)) expect(value).toContain(safe);
    expect(event.request?.url).toContain('/login');
    expect(event.request?.url).not.toContain(SECRET_CORPUS.find((s) => s.kind === 'jwt')!.secret);
    // sendDefaultPii is off: no IP address, no user the SDK made up.
    expect(event.user?.ip_address).toBeUndefined();
  });

  it('sends no traces: tracing is off', async () => {
    const items = (await envelopes()).slice(before).flatMap((e) => e.items);
    expect(
      items.filter((i) => i.header.type === 'transaction' || i.header.type === 'span'),
    ).toEqual([]);
  });

  it('leaves the app’s calls to the API alone: no tracing headers, answers as usual', async () => {
    // The dashboard lists uploads straight from the API (cross-origin): a tracing header there
    // would need the API's CORS to allow it, and the browser would refuse the call.
    await page.goto('/login');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    const list = page.waitForResponse(
      (r) =>
        r.request().method() === 'GET' &&
        r.url().startsWith(`${apiUrl}/`) &&
        new URL(r.url()).pathname === '/v1/uploads',
    );
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const res = await list;
    expect(res.status()).toBe(200);
    const headers = res.request().headers();
    expect(headers['sentry-trace']).toBeUndefined();
    expect(headers.baggage).toBeUndefined();
    await page.getByRole('heading', { name: 'Your uploads' }).waitFor();
  });
});
