import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const screenshotDir = fileURLToPath(
  new URL('../../../artifacts/screenshots/', import.meta.url),
);

/** Debian's Chromium (never a downloaded browser: `npx playwright install` is not used). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** axe-core's serious and critical violations on the page as it is now (rule id, help, targets). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/**
 * Console errors, uncaught exceptions and Content-Security-Policy violations (reported from the
 * page's `securitypolicyviolation` event: Chromium does not always log them to the console).
 */
export async function collectPageErrors(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  // A string: runs in every document of the page, and this file has no DOM types.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    console.error('CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || '') + ' at ' + (e.sourceFile || '?'));
  });`);
  return errors;
}

export interface BrowserPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** What collectPageErrors gathers for this page. */
  errors: string[];
}

/** Chromium with one desktop-sized page on `baseURL`, a 30 s default timeout and its errors collected. */
export async function openBrowserPage(
  baseURL: string,
  opts: { acceptDownloads?: boolean } = {},
): Promise<BrowserPage> {
  const browser = await launchChromium();
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1100, height: 800 },
    ...(opts.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors = await collectPageErrors(page);
  return { browser, context, page, errors };
}
