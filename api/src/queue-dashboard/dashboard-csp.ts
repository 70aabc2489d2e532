import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RequestHandler } from 'express';

/**
 * bull-board's page runs no inline script (its config is a `type="application/json"` block,
 * which CSP does not execute) but carries one inline `<style>` (the loading animation): allowed
 * by its hash, read from the installed template so an upgrade cannot silently break it. The
 * rest is same-origin. Replaces the API's `default-src 'none'` on the dashboard's paths only;
 * everything else keeps the global policy. Google Fonts, which the page links, stay blocked
 * (no third-party requests from an admin page): the UI falls back to system fonts.
 */
export function dashboardCsp(): RequestHandler {
  const styleHashes = inlineStyleHashes();
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${styleHashes.map((h) => `'${h}'`).join(' ')}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', policy);
    next();
  };
}

function inlineStyleHashes(): string[] {
  const require = createRequire(import.meta.url);
  const template = readFileSync(
    require.resolve('@bull-board/ui/dist/index.ejs', {
      paths: [require.resolve('@bull-board/express')],
    }),
    'utf8',
  );
  return [...template.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) => `sha256-${createHash('sha256').update(m[1]!).digest('base64')}`,
  );
}
