// The web's Supabase Auth mode in Debian's Chromium. Hosted Supabase cannot run here, so the
// web is built with NEXT_PUBLIC_SUPABASE_URL pointing at a FAKE Supabase Auth (GoTrue) server
// (support/fake-supabase-auth.ts, started by run.ts) that speaks GoTrue's wire format; the
// web's supabase-js and the API (SUPABASE_URL → JWKS) are the real ones. A wrong password → the
// page's sentence; the right one → the dashboard lists uploads from the API with the Supabase
// token; a reload keeps the session; sign-out is recorded by Supabase Auth and sticks; a magic
// link recorded by the fake's inbox signs the browser in; axe, CSP and console stay clean.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from '@supabase/supabase-js';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Browser, Page, Response } from 'playwright-core';
import { meResponse } from '@saas/shared/contracts';
import { openBrowserPage, screenshot, seriousA11yViolations } from './support/browser.ts';
import type { LogoutRecord, MailRecord } from './support/fake-supabase-auth.ts';

const webUrl = process.env.E2E_SUPABASE_WEB_URL;
const apiUrl = process.env.E2E_API_URL;
const authUrl = process.env.E2E_FAKE_SUPABASE_URL;
const anonKey = process.env.E2E_FAKE_SUPABASE_ANON_KEY;
const email = process.env.E2E_SUPABASE_EMAIL;
const password = process.env.E2E_SUPABASE_PASSWORD;
if (!webUrl || !apiUrl || !authUrl || !anonKey || !email || !password)
  throw new Error('run the browser tests with `npm run test:e2e` (it starts the stack)');

const WRONG_PASSWORD_SENTENCE = 'The email or password is not right. Check both and try again.';
const EXPIRED_LINK_SENTENCE =
  'That sign-in link has expired or was already used. Ask for a new one below.';

let browser: Browser;
let page: Page;
let pageErrors: string[];

/** The fake's test-only records (its stand-in for Supabase's local Inbucket/Mailpit). */
async function fakeRecords<T>(path: 'mail' | 'logouts' | 'problems'): Promise<T> {
  const res = await fetch(`${authUrl}/__fake__/${path}?email=${encodeURIComponent(email!)}`);
  if (!res.ok) throw new Error(`fake Supabase Auth /__fake__/${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
const logouts = async (): Promise<LogoutRecord[]> =>
  (await fakeRecords<{ logouts: LogoutRecord[] }>('logouts')).logouts.filter(
    (l) => l.email === email,
  );
const mail = async (): Promise<MailRecord[]> =>
  (await fakeRecords<{ messages: MailRecord[] }>('mail')).messages;

/** Resolves with the API's answer to the dashboard's list request (GET /v1/uploads). */
const uploadsListResponse = (): Promise<Response> =>
  page.waitForResponse(
    (r) =>
      r.request().method() === 'GET' &&
      r.url().startsWith(`${apiUrl}/`) &&
      new URL(r.url()).pathname === '/v1/uploads',
  );

/** Fails unless the request carried a Supabase access token: ES256, issued by Supabase Auth. */
function expectSupabaseToken(res: Response): string {
  const auth = res.request().headers().authorization ?? '';
  expect(auth).toMatch(/^Bearer \S+$/);
  const token = auth.slice('Bearer '.length);
  expect(decodeProtectedHeader(token).alg).toBe('ES256');
  const claims = decodeJwt(token);
  expect(claims).toMatchObject({ iss: `${authUrl}/auth/v1`, aud: 'authenticated', email });
  return token;
}

/** Waits for the dashboard of a signed-in user: the header names them, the list is loaded. */
async function expectDashboard(): Promise<void> {
  await page.getByRole('heading', { name: 'Your uploads' }).waitFor();
  await page.locator('header .account').getByText(email!, { exact: true }).waitFor();
  await page.getByText('No uploads yet.').waitFor();
  // In <main>: Next's route announcer is a role=alert too.
  expect(await page.locator('main').getByRole('alert').count()).toBe(0);
}

beforeAll(async () => {
  ({ browser, page, errors: pageErrors } = await openBrowserPage(webUrl));
});

afterAll(async () => {
  await browser?.close();
});

describe('Supabase Auth mode in a real browser (against a fake Supabase Auth server)', () => {
  it('shows the Supabase sign-in, with a CSP that lets the page reach Supabase Auth', async () => {
    const res = await page.goto('/login');
    const csp = res?.headers()['content-security-policy'] ?? '';
    const connectSrc = csp.split(';').find((d) => d.trim().startsWith('connect-src')) ?? '';
    expect(connectSrc.trim().split(/\s+/)).toContain(new URL(authUrl).origin);

    await page.getByRole('heading', { name: 'Sign in with your account' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Development sign-in' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'supabase-login');
  });

  it('says the email or password is not right when Supabase Auth refuses the password', async () => {
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(`${password}-wrong`);
    const [refusal] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${authUrl}/auth/v1/token?`)),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    expect(refusal.status()).toBe(400);
    expect(await refusal.json()).toMatchObject({ code: 'invalid_credentials' });
    const alert = page.locator('main').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(WRONG_PASSWORD_SENTENCE);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('signs in with the password; the dashboard lists uploads from the API with the Supabase token', async () => {
    await page.getByLabel('Password').fill(password);
    const [list] = await Promise.all([
      uploadsListResponse(),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    await expectDashboard();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(list.status()).toBe(200);
    expectSupabaseToken(list);
    await screenshot(page, 'supabase-uploads-empty');
  });

  it('keeps the session across a reload', async () => {
    const [list] = await Promise.all([uploadsListResponse(), page.reload()]);
    await expectDashboard();
    expect(list.status()).toBe(200);
    expectSupabaseToken(list);
  });

  it('signs out: Supabase Auth records the logout, and the user stays signed out after a reload', async () => {
    const before = (await logouts()).length;
    await page.locator('header').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in with your account' }).waitFor();
    const after = await logouts();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ email, scope: 'global' });

    await page.reload();
    await page.getByRole('heading', { name: 'Sign in with your account' }).waitFor();
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in with your account' }).waitFor();
  });

  it('signs in through a magic link: asked for on /login, recorded by Supabase Auth, opened in the browser', async () => {
    const before = (await mail()).length;
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page
      .getByRole('status')
      .getByText(`Check your inbox: we sent a sign-in link to ${email}.`)
      .waitFor();

    const messages = await mail();
    expect(messages).toHaveLength(before + 1);
    const message = messages.at(-1)!;
    expect(message).toMatchObject({ to: email, type: 'magiclink' });
    const link = new URL(message.link);
    expect(`${link.origin}${link.pathname}`).toBe(`${authUrl}/auth/v1/verify`);
    expect(link.searchParams.get('redirect_to')).toBe(`${webUrl}/`);

    // Supabase Auth answers 303 to the web with the session in the fragment; supabase-js
    // reads it (detectSessionInUrl), checks it with GET /auth/v1/user and clears the URL.
    const [list] = await Promise.all([uploadsListResponse(), page.goto(message.link)]);
    await expectDashboard();
    expect(list.status()).toBe(200);
    expectSupabaseToken(list);
    await page.waitForURL((u) => u.hash === '' && u.pathname === '/');
    expect(page.url()).not.toContain('access_token');

    const signedOut = (await logouts()).length;
    await page.locator('header').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in with your account' }).waitFor();
    expect(await logouts()).toHaveLength(signedOut + 1);
  });

  it('says why when a magic link was already used, instead of showing the bare sign-in form', async () => {
    // Opened twice (or consumed by a mail scanner's prefetch): Supabase Auth sends the browser
    // back with #error=access_denied&error_code=otp_expired&error_description=….
    const used = (await mail()).at(-1)!.link;
    await page.goto(used);
    await page.waitForURL('**/login');
    const notice = page.locator('main').getByRole('alert');
    await notice.waitFor();
    expect(await notice.textContent()).toBe(EXPIRED_LINK_SENTENCE);
    expect(page.url()).not.toContain('error');
    await page.getByRole('heading', { name: 'Sign in with your account' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'supabase-login-link-expired');
  });

  it('had no console error or CSP violation, and Supabase Auth refused no request', async () => {
    // The one expected failure: the wrong password's 400, which Chromium logs as a failed load.
    const wrongPassword =
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)';
    const i = pageErrors.indexOf(wrongPassword);
    const unexpected = i === -1 ? pageErrors : pageErrors.toSpliced(i, 1);
    expect(unexpected).toEqual([]);
    expect((await fakeRecords<{ problems: string[] }>('problems')).problems).toEqual([]);
  });
});

describe('the fake Supabase Auth server, through the real supabase-js in Node', () => {
  it('rotates the refresh token, and the API accepts the refreshed access token (JWKS)', async () => {
    const supabase = createClient(authUrl, anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const signIn = await supabase.auth.signInWithPassword({ email, password });
    expect(signIn.error).toBeNull();
    const first = signIn.data.session!;

    const refreshed = await supabase.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    const second = refreshed.data.session!;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    const me = await fetch(`${apiUrl}/v1/me`, {
      headers: { authorization: `Bearer ${second.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(meResponse.parse(await me.json())).toMatchObject({ email });

    const before = (await logouts()).length;
    expect((await supabase.auth.signOut()).error).toBeNull();
    expect(await logouts()).toHaveLength(before + 1);
    // Signed out: the old refresh token no longer gives a session.
    const again = await supabase.auth.refreshSession({ refresh_token: second.refresh_token });
    expect(again.error?.code).toBe('refresh_token_not_found');
  });
});
