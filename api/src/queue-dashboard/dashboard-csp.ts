import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RequestHandler } from 'express';

/**
 * bull-board's page runs no inline script (its config is a `type="application/json"` block,
 * which CSP does not execute) but its loading placeholder carries one inline `<style>` and a few
 * `style="…"` attributes: each allowed by its hash (`'unsafe-hashes'` covers exactly those
 * attribute values, nothing else), read from the installed template so an upgrade cannot
 * silently break the page. The rest is same-origin. Replaces the API's `default-src 'none'` on the dashboard's paths only;
 * everything else keeps the global policy. Google Fonts, which the page links, stay blocked
 * (no third-party requests from an admin page): the UI falls back to system fonts.
 */
export function dashboardCsp(): RequestHandler {
  const { blocks, attributes } = inlineStyleHashes();
  const quoted = (hashes: string[]) => hashes.map((h) => `'${h}'`).join(' ');
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${quoted(blocks)}`,
    `style-src-elem 'self' ${quoted(blocks)}`,
    `style-src-attr 'unsafe-hashes' ${quoted(attributes)}`,
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

function inlineStyleHashes(): { blocks: string[]; attributes: string[] } {
  const require = createRequire(import.meta.url);
  const template = readFileSync(
    require.resolve('@bull-board/ui/dist/index.ejs', {
      paths: [require.resolve('@bull-board/express')],
    }),
    'utf8',
  );
  const hash = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;
  return {
    blocks: [...template.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => hash(m[1]!)),
    attributes: [...new Set([...template.matchAll(/\sstyle="([^"]*)"/g)].map((m) => hash(m[1]!)))],
  };
}
