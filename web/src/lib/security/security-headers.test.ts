import { describe, expect, it } from '@jest/globals';
import {
  contentSecurityPolicy,
  newNonce,
  securityHeaders,
  storageOriginsFrom,
} from './security-headers.ts';

const nonce = 'bm9uY2Utbm9uY2Utbm9uY2UtMTI=';
const base = { apiUrl: 'http://127.0.0.1:4000', storageOrigins: ['http://127.0.0.1:9000'], nonce };
const directive = (csp: string, name: string) =>
  csp.split('; ').find((d) => d.startsWith(`${name} `) || d === name);

describe('security headers', () => {
  it('lets the page connect only to itself, the API and the object store', () => {
    const csp = contentSecurityPolicy({ ...base, production: true });
    expect(directive(csp, 'connect-src')).toBe(
      "connect-src 'self' http://127.0.0.1:4000 http://127.0.0.1:9000",
    );
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'default-src')).toBe("default-src 'self'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/(^|\s)\*(\s|;|$)/);
  });

  it('adds Supabase and the Sentry ingest host only when configured; a same-origin API path adds nothing', () => {
    const csp = contentSecurityPolicy({
      nonce,
      production: true,
      apiUrl: '/api',
      storageOrigins: storageOriginsFrom({ supabaseUrl: 'https://abc.supabase.co' }),
      supabaseUrl: 'https://abc.supabase.co',
      sentryDsn: 'https://key@o1.ingest.sentry.io/42',
    });
    expect(directive(csp, 'connect-src')).toBe(
      "connect-src 'self' https://abc.supabase.co https://abc.storage.supabase.co https://o1.ingest.sentry.io",
    );
  });

  it('allows scripts only by the nonce and what they load, never inline ones; dev adds eval for React tooling', () => {
    const prod = contentSecurityPolicy({ ...base, production: true });
    const dev = contentSecurityPolicy({ ...base, production: false });
    expect(directive(prod, 'script-src')).toBe(
      `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    );
    expect(directive(dev, 'script-src')).toBe(
      `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'unsafe-eval'`,
    );
    expect(directive(prod, 'style-src')).toBe("style-src 'self'");
    // A nonce that could close the source expression and add one of its own is refused.
    expect(() =>
      contentSecurityPolicy({ ...base, production: true, nonce: "x' 'unsafe-inline" }),
    ).toThrow(/nonce/);
    expect(() => contentSecurityPolicy({ ...base, production: true, nonce: 'short' })).toThrow(
      /nonce/,
    );
  });

  it('makes a new 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(atob(n)).toHaveLength(16);
  });

  it('sends HSTS in production, upgrade-insecure-requests with an https API; the CSP is not a static header', () => {
    const prod = Object.fromEntries(
      securityHeaders({ production: true }).map((h) => [h.key, h.value]),
    );
    const dev = Object.fromEntries(
      securityHeaders({ production: false }).map((h) => [h.key, h.value]),
    );
    expect(prod['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
    expect(dev['Strict-Transport-Security']).toBeUndefined();
    // Set per response with its nonce by src/proxy.ts; a static one would be enforced too.
    expect(prod['Content-Security-Policy']).toBeUndefined();
    expect(dev['Content-Security-Policy']).toBeUndefined();
    expect(contentSecurityPolicy({ ...base, production: true })).not.toContain(
      'upgrade-insecure-requests',
    );
    expect(
      contentSecurityPolicy({ ...base, apiUrl: 'https://api.example.com', production: true }),
    ).toContain('upgrade-insecure-requests');
    expect(contentSecurityPolicy({ ...base, production: false })).not.toContain(
      'upgrade-insecure-requests',
    );
    for (const h of [prod, dev]) {
      expect(h['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
      expect(h['Permissions-Policy']).toContain('camera=()');
      expect(h['X-Content-Type-Options']).toBe('nosniff');
    }
  });

  it('takes explicit storage origins over the defaults', () => {
    expect(
      storageOriginsFrom({ storageOrigins: 'https://s3.example.com, https://cdn.example.com' }),
    ).toEqual(['https://s3.example.com', 'https://cdn.example.com']);
    expect(storageOriginsFrom({})).toEqual(['http://127.0.0.1:9000', 'http://localhost:9000']);
  });

  it('adds the hosted storage subdomain only for a hosted-style Supabase host', () => {
    expect(storageOriginsFrom({ supabaseUrl: 'https://abc.supabase.co/' })).toEqual([
      'https://abc.supabase.co',
      'https://abc.storage.supabase.co',
    ]);
    // Supabase's local stack (supabase start) and self-hosted ones: storage is on the same origin.
    expect(storageOriginsFrom({ supabaseUrl: 'http://127.0.0.1:54321' })).toEqual([
      'http://127.0.0.1:54321',
    ]);
    expect(storageOriginsFrom({ supabaseUrl: 'http://[::1]:54321' })).toEqual([
      'http://[::1]:54321',
    ]);
    expect(storageOriginsFrom({ supabaseUrl: 'http://localhost:54321' })).toEqual([
      'http://localhost:54321',
    ]);
  });
});
