// Vercel applies both header lists — web/vercel.json's and next.config's — so where both set a
// header they must agree, or the response's value depends on which list wins.
import { describe, expect, test } from '@jest/globals';
import { securityHeaders } from '../../web/src/lib/security/security-headers.ts';
import { readRepoFile } from './deploy-fixture.ts';

describe('web security headers', () => {
  test('web/vercel.json and the web’s production headers agree on every header both set', () => {
    const vercel = JSON.parse(readRepoFile('web/vercel.json')) as {
      headers: { source: string; headers: { key: string; value: string }[] }[];
    };
    const fromVercel = new Map(
      vercel.headers.flatMap((h) => h.headers).map((h) => [h.key.toLowerCase(), h.value]),
    );
    const fromNext = securityHeaders({ production: true });
    const shared = fromNext.filter((h) => fromVercel.has(h.key.toLowerCase()));
    expect(shared.length).toBeGreaterThanOrEqual(5);
    for (const h of shared)
      expect({ [h.key]: fromVercel.get(h.key.toLowerCase()) }).toEqual({ [h.key]: h.value });
  });

  test('no static Content-Security-Policy anywhere: the proxy sends it with a per-response nonce', () => {
    // A browser enforces every CSP it receives: a static one from vercel.json or next.config
    // (without the nonce) would block the scripts the nonce'd policy allows.
    const vercel = readRepoFile('web/vercel.json');
    expect(vercel.toLowerCase()).not.toContain('content-security-policy');
    for (const production of [true, false])
      expect(securityHeaders({ production }).map((h) => h.key.toLowerCase())).not.toContain(
        'content-security-policy',
      );
    const proxy = readRepoFile('web/src/proxy.ts');
    expect(proxy).toMatch(/export function proxy\(/);
    expect(proxy).toContain("response.headers.set('Content-Security-Policy', csp)");
  });
});
